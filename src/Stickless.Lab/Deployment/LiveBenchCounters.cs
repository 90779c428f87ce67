namespace Stickless.Lab.Deployment;

/// <summary>
/// The live figures of a running bench, which the bench updates and the dashboard shows: requests, errors,
/// the three loss counts, requests per second, p50/p99 of the recent requests, requests per node and the last
/// requests. Thread-safe; every call is cheap (one short lock).
/// </summary>
internal sealed class LiveBenchCounters
{
    private const int LatencyWindow = 4096;

    private readonly TimeProvider time;
    private readonly Lock sync = new();
    private readonly double[] latencies = new double[LatencyWindow];
    private readonly Dictionary<string, long> servedBy = new(StringComparer.Ordinal);
    private readonly RecentRequestLog recent = new();
    private int latencyCount;
    private int latencyNext;
    private long requests;
    private long errors;
    private long sessionsLost;
    private long staleReads;
    private long lostUpdates;
    private long currentSecond;
    private long currentSecondCount;
    private long lastSecondCount;
    private long startedAt;
    private bool running;
    private string? label;

    /// <summary>Creates counters that read time from <paramref name="time"/> (default the system clock).</summary>
    public LiveBenchCounters(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <summary>Resets everything and marks a run as started.</summary>
    /// <param name="runLabel">What runs, for people, for example <c>bench redis · 50 users</c>.</param>
    public void Begin(string runLabel)
    {
        lock (sync)
        {
            latencyCount = latencyNext = 0;
            requests = errors = sessionsLost = staleReads = lostUpdates = 0;
            currentSecond = currentSecondCount = lastSecondCount = 0;
            servedBy.Clear();
            recent.Clear();
            startedAt = time.GetTimestamp();
            running = true;
            label = runLabel;
        }
    }

    /// <summary>Marks the run as over; the figures stay until the next <see cref="Begin"/>.</summary>
    public void End()
    {
        lock (sync)
        {
            running = false;
        }
    }

    /// <summary>Counts one answered (or failed) request.</summary>
    /// <param name="servedBy">The node in <c>X-Served-By</c>; null when none answered.</param>
    /// <param name="latency">How long it took.</param>
    /// <param name="outcome">How it ended; <see cref="LiveOutcome.Error"/> counts an error.</param>
    /// <param name="what">A short label for the recent strip, for example <c>GET /me</c>.</param>
    public void RecordRequest(string? servedBy, TimeSpan latency, LiveOutcome outcome = LiveOutcome.Ok, string? what = null)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            requests++;
            if (outcome == LiveOutcome.Error)
            {
                errors++;
            }

            latencies[latencyNext] = latency.TotalMilliseconds;
            latencyNext = (latencyNext + 1) % LatencyWindow;
            latencyCount = Math.Min(latencyCount + 1, LatencyWindow);
            if (servedBy is not null)
            {
                this.servedBy[servedBy] = this.servedBy.GetValueOrDefault(servedBy) + 1;
            }

            var second = now.ToUnixTimeSeconds();
            RollSecond(second);
            currentSecondCount++;
        }

        recent.Add(new RecentRequest(now, servedBy, outcome, what));
    }

    /// <summary>Counts sessions lost (signed-in users answered as anonymous).</summary>
    public void AddSessionsLost(long count = 1) => Interlocked.Add(ref sessionsLost, count);

    /// <summary>Counts stale reads.</summary>
    public void AddStaleReads(long count = 1) => Interlocked.Add(ref staleReads, count);

    /// <summary>Counts lost updates.</summary>
    public void AddLostUpdates(long count = 1) => Interlocked.Add(ref lostUpdates, count);

    /// <summary>The figures now.</summary>
    public LiveBenchSnapshot Snapshot()
    {
        lock (sync)
        {
            RollSecond(time.GetUtcNow().ToUnixTimeSeconds());
            var window = latencies.AsSpan(0, latencyCount).ToArray();
            Array.Sort(window);
            return new LiveBenchSnapshot(
                running,
                label,
                startedAt == 0 ? 0 : time.GetElapsedTime(startedAt).TotalSeconds,
                requests,
                errors,
                Interlocked.Read(ref sessionsLost),
                Interlocked.Read(ref staleReads),
                Interlocked.Read(ref lostUpdates),
                lastSecondCount,
                Percentile(window, 0.50),
                Percentile(window, 0.99),
                new Dictionary<string, long>(servedBy, StringComparer.Ordinal),
                recent.Snapshot());
        }
    }

    private void RollSecond(long second)
    {
        if (second == currentSecond)
        {
            return;
        }

        // The count of the second that just ended is the rate; a gap of idle seconds means zero.
        lastSecondCount = second == currentSecond + 1 ? currentSecondCount : 0;
        currentSecond = second;
        currentSecondCount = 0;
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
