using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench.Compare;

/// <summary>Adds up a strategy's rounds into one <c>results.json</c> entry: the sums, the merged latencies, and each round's rate.</summary>
internal static class RoundMerger
{
    /// <summary>The entry for <paramref name="plan"/>'s rounds (at least one).</summary>
    public static RunResult Merge(RunPlan plan, IReadOnlyList<RoundMeasurement> rounds, bool? fixation)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rounds.Count);
        var results = rounds.Select(static r => r.Result).ToList();
        var latency = new LatencyHistogram();
        foreach (var result in results.Where(static r => r.Latency is not null))
        {
            latency.Add(result.Latency!);
        }

        var totals = results.Select(static r => r.Totals).Aggregate(static (a, b) => new WorkloadTotals(
            a.Elapsed + b.Elapsed, a.Requests + b.Requests, a.Errors + b.Errors, a.SessionsLost + b.SessionsLost,
            a.StaleReads + b.StaleReads, a.LostUpdates + b.LostUpdates, a.WrongUser + b.WrongUser));
        var series = new List<TimeSeriesPoint>();
        foreach (var point in results.SelectMany(static r => r.TimeSeries))
        {
            series.Add(point with { Second = series.Count });
        }

        var servedBy = results.SelectMany(static r => r.ServedBy)
            .GroupBy(static p => p.Key, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.Sum(static p => p.Value), StringComparer.Ordinal);
        var merged = new WorkloadResult(
            totals,
            latency.Count > 0 ? latency.PercentileMs(50) : results.Average(static r => r.P50Ms),
            latency.Count > 0 ? latency.PercentileMs(99) : results.Max(static r => r.P99Ms),
            results.Sum(static r => r.UnavailableSeconds),
            series,
            new SortedDictionary<string, long>(servedBy, StringComparer.Ordinal),
            results[0].SignedInUsersAtStart,
            results[^1].SignedInUsersAtEnd,
            results.Max(static r => r.UsersLosingSessions))
        {
            Latency = latency,
            Conflicts = results.Sum(static r => r.Conflicts),
            AcknowledgedWrites = results.Any(static r => r.AcknowledgedWrites is not null) ? results.Sum(static r => r.AcknowledgedWrites ?? 0) : null,
        };

        var store = rounds.Any(static r => r.Store is null) ? null : rounds.Select(static r => r.Store!).Aggregate(RedisCommandStats.Empty, static (a, b) => a.Plus(b));
        return RunResultFactory.Create(plan, merged, rounds[0].StartedAt, fault: null) with
        {
            Rounds = rounds.Count,
            RoundRps = [.. results.Select(static r => Math.Round(r.Totals.RequestsPerSecond, 1))],
            StoreRoundTripsPerRequest = PerRequest(store?.RoundTrips, totals.Requests),
            StoreCommandsPerRequest = PerRequest(store?.Commands, totals.Requests),
            PreLoginIdSignedInAfterLogin = fixation,
        };
    }

    /// <summary><paramref name="count"/> per request, two decimals; null when unknown or nothing was requested.</summary>
    public static double? PerRequest(long? count, long requests) =>
        count is { } n && requests > 0 ? Math.Round((double)n / requests, 2) : null;
}
