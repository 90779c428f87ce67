namespace Stickless.Lab.Workload;

/// <summary>What <see cref="LogoutProbe"/> measured.</summary>
/// <param name="Trials">Logouts timed.</param>
/// <param name="StaleAnswers">Answers that still showed the session signed in after its logout was answered.</param>
/// <param name="P50Ms">Median time the logout went unseen.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MaxMs">The longest.</param>
internal sealed record LogoutProbeResult(int Trials, long StaleAnswers, double P50Ms, double P99Ms, double MaxMs);
