namespace Stickless.Lab.Deployment;

/// <summary>What <see cref="LiveBenchCounters"/> says at one moment; serialized as-is for the dashboard.</summary>
/// <param name="Running">True while a bench or chaos run is on.</param>
/// <param name="Label">What runs, for example <c>bench redis · 50 users</c>.</param>
/// <param name="ElapsedSeconds">Since the run began.</param>
/// <param name="Requests">Requests answered (errors included).</param>
/// <param name="Errors">5xx, timeouts, broken connections.</param>
/// <param name="SessionsLost">Signed-in users answered as anonymous.</param>
/// <param name="StaleReads">Reads that missed a write the client had seen acknowledged.</param>
/// <param name="LostUpdates">Acknowledged writes that later vanished.</param>
/// <param name="Rps">Requests in the last whole second.</param>
/// <param name="P50Ms">Median latency of the recent requests, in milliseconds.</param>
/// <param name="P99Ms">99th percentile latency of the recent requests, in milliseconds.</param>
/// <param name="ServedBy">Requests per node (<c>X-Served-By</c>).</param>
/// <param name="Recent">The last requests, oldest first.</param>
internal sealed record LiveBenchSnapshot(
    bool Running,
    string? Label,
    double ElapsedSeconds,
    long Requests,
    long Errors,
    long SessionsLost,
    long StaleReads,
    long LostUpdates,
    double Rps,
    double P50Ms,
    double P99Ms,
    IReadOnlyDictionary<string, long> ServedBy,
    IReadOnlyList<RecentRequest> Recent);
