using System.Text.Json.Serialization;

namespace Stickless.Lab.Workload;

/// <summary>What happened during one second of a run (requests are counted when they complete); <c>results.json</c> keeps one per second.</summary>
/// <param name="Second">Seconds since the run started (0-based).</param>
/// <param name="Requests">Requests completed in that second.</param>
/// <param name="Errors">Of which errors: 5xx, timeouts, broken connections, unexpected 4xx.</param>
/// <param name="SessionsLost">Signed-in users answered as anonymous in that second.</param>
internal sealed record TimeSeriesPoint(int Second, long Requests, long Errors, long SessionsLost)
{
    /// <summary>
    /// True when the service was unavailable in that second: more than half of the requests
    /// failed, or none succeeded (which includes a second in which no request completed at all).
    /// </summary>
    [JsonIgnore]
    public bool IsUnavailable => Requests == 0 || Errors == Requests || Errors * 2 > Requests;

    /// <summary>The number of unavailable seconds in <paramref name="series"/>.</summary>
    public static int CountUnavailable(IEnumerable<TimeSeriesPoint> series) => series.Count(static p => p.IsUnavailable);
}
