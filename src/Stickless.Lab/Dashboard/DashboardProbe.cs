using Stickless.Lab.Deployment;

namespace Stickless.Lab.Dashboard;

/// <summary>The session probe as the dashboard shows it.</summary>
/// <param name="Enabled">False when the dashboard runs without a probe.</param>
/// <param name="UserName">The probe's user.</param>
/// <param name="SignedIn">True when the last answer knew the user.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="SignOuts">Times a node answered the signed-in probe as anonymous.</param>
/// <param name="Recent">The last requests, oldest first.</param>
internal sealed record DashboardProbe(bool Enabled, string? UserName, bool SignedIn, long Requests, long SignOuts, IReadOnlyList<RecentRequest> Recent);
