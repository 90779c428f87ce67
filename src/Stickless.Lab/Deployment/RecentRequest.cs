namespace Stickless.Lab.Deployment;

/// <summary>One request in the dashboard's "recent requests" strip.</summary>
/// <param name="At">When it ended.</param>
/// <param name="ServedBy">The node in <c>X-Served-By</c>; null when no node answered.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="What">A short label, for example <c>GET /me</c>.</param>
internal sealed record RecentRequest(DateTimeOffset At, string? ServedBy, LiveOutcome Outcome, string? What);
