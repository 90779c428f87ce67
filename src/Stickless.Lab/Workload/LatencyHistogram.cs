namespace Stickless.Lab.Workload;

/// <summary>
/// A log-linear latency histogram in microseconds, in the manner of HdrHistogram: exact below
/// 2,048 µs, then 1,024 sub-buckets per power of two (relative error under 0.1 %).
/// Not thread-safe: each virtual user records into its own and the runner merges them.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearLimit = 2048;
    private const int SubBuckets = 1024;
    private const int SubBucketBits = 10;

    // 2^36 µs is about 19 hours: far beyond any request timeout.
    private const int MaxExponent = 36;
    private static readonly int BucketCount = LinearLimit + ((MaxExponent - 10) * SubBuckets);

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>The number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>Records one latency.</summary>
    public void Record(TimeSpan latency)
    {
        var micros = (long)Math.Max(0, latency.TotalMicroseconds);
        _counts[IndexOf(micros)]++;
        Count++;
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100) in milliseconds; 0 when empty.</summary>
    public double PercentileMs(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100 * Count);
        rank = Math.Max(rank, 1);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return MidpointOf(i) / 1000.0;
            }
        }

        return MidpointOf(_counts.Length - 1) / 1000.0;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < LinearLimit)
        {
            return (int)micros;
        }

        var exponent = 63 - long.LeadingZeroCount(micros);
        if (exponent >= MaxExponent)
        {
            return BucketCount - 1;
        }

        var shift = (int)exponent - SubBucketBits;
        var sub = (int)(micros >> shift) - SubBuckets;
        return LinearLimit + (((int)exponent - 11) * SubBuckets) + sub;
    }

    internal static double MidpointOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var exponent = ((index - LinearLimit) / SubBuckets) + 11;
        var sub = ((index - LinearLimit) % SubBuckets) + SubBuckets;
        var shift = exponent - SubBucketBits;
        var low = (long)sub << shift;
        var width = 1L << shift;
        return low + (width / 2.0);
    }
}
