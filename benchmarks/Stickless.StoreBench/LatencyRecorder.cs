namespace Stickless.StoreBench;

/// <summary>Latencies of one run, in microseconds, and the percentiles the report prints.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double>[] _perWorker;

    public LatencyRecorder(int workers) => _perWorker = [.. Enumerable.Range(0, workers).Select(_ => new List<double>(100_000))];

    public void Record(int worker, TimeSpan elapsed) => _perWorker[worker].Add(elapsed.TotalMicroseconds);

    public long Count => _perWorker.Sum(l => (long)l.Count);

    /// <summary>The p-th percentile in milliseconds (nearest rank).</summary>
    public double PercentileMs(double p)
    {
        var all = _perWorker.SelectMany(l => l).Order().ToArray();
        if (all.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100 * all.Length) - 1;
        return all[Math.Clamp(rank, 0, all.Length - 1)] / 1000;
    }
}
