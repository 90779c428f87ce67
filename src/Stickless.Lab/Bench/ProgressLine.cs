using System.Globalization;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>The one-line status a run prints each second, and its closing summary.</summary>
internal static class ProgressLine
{
    /// <summary><c>[sticky] 7s/20s  812 req/s  errors 0  sessions lost 0  stale reads 0  lost updates 0</c>.</summary>
    public static string Format(string label, TimeSpan duration, WorkloadTotals totals) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{label}] {Math.Min(totals.Elapsed.TotalSeconds, duration.TotalSeconds),3:0}s/{duration.TotalSeconds:0}s  {totals.RequestsPerSecond,6:0} req/s  errors {totals.Errors}  sessions lost {totals.SessionsLost}  stale reads {totals.StaleReads}  lost updates {totals.LostUpdates}");

    /// <summary>The line printed when a run ends.</summary>
    public static string Summary(string label, RunResult result) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{label}] done: {result.Requests} requests, {result.Rps:0} req/s, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, errors {result.Errors}, sessions lost {result.SessionsLost}, stale reads {result.StaleReads}, lost updates {result.LostUpdates}, unavailable {result.UnavailableSeconds} s");
}
