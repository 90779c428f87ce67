using System.Globalization;

namespace Stickless.Lab.Processes;

/// <summary>
/// How one resource of one process moved over a run: where it started, its peak and end, and the least-squares slope
/// over the second half of the samples (the first half is warm-up: a .NET process grows its heap and thread pool to
/// the load first). It is <see cref="Flat"/> when the growth that slope projects over the second half stays within
/// <see cref="Tolerance"/>.
/// </summary>
/// <param name="First">The first sample's value.</param>
/// <param name="Peak">The largest value.</param>
/// <param name="Last">The last sample's value.</param>
/// <param name="SlopePerMinute">Least-squares slope over the second half, per minute (bytes, threads or handles).</param>
/// <param name="SecondHalfGrowth">The slope times the second half's length: how much it grew there, net of noise.</param>
/// <param name="Tolerance">The most <see cref="SecondHalfGrowth"/> may be for <see cref="Flat"/>.</param>
internal sealed record ResourceTrend(double First, double Peak, double Last, double SlopePerMinute, double SecondHalfGrowth, double Tolerance)
{
    /// <summary>True when the second half grew by no more than the tolerance.</summary>
    public bool Flat => SecondHalfGrowth <= Tolerance;

    /// <summary>
    /// The trend of <paramref name="values"/> sampled at <paramref name="seconds"/>; null with fewer than 4 samples.
    /// </summary>
    /// <param name="seconds">Sample times.</param>
    /// <param name="values">Sample values.</param>
    /// <param name="absoluteTolerance">Growth always allowed over the second half (noise of the measure).</param>
    /// <param name="relativeTolerance">Growth allowed as a fraction of the second half's mean, when that is larger.</param>
    public static ResourceTrend? Of(IReadOnlyList<double> seconds, IReadOnlyList<double> values, double absoluteTolerance, double relativeTolerance)
    {
        if (seconds.Count != values.Count)
        {
            throw new ArgumentException("one time per value", nameof(values));
        }

        if (values.Count < 4)
        {
            return null;
        }

        var half = values.Count / 2;
        var xs = seconds.Skip(half).ToArray();
        var ys = values.Skip(half).ToArray();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        var slope = sxx == 0 ? 0 : xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / sxx;
        var span = xs[^1] - xs[0];
        return new ResourceTrend(
            values[0],
            values.Max(),
            values[^1],
            Math.Round(slope * 60, 3),
            Math.Round(slope * span, 3),
            Math.Max(absoluteTolerance, relativeTolerance * my));
    }

    /// <summary><c>+1.2 MiB/min</c> for bytes.</summary>
    public static string MiB(double bytes) => (bytes / (1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);
}
