using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>The latency histogram and the unavailability rule (pure logic).</summary>
public sealed class BenchMeasurementTests
{
    [Fact]
    public void PercentileMs_UniformOneToThousandMs_IsWithinATenthOfAPercent()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(1000, histogram.Count);
        Assert.InRange(histogram.PercentileMs(50), 499.5, 500.5);
        Assert.InRange(histogram.PercentileMs(99), 989, 991);
        Assert.InRange(histogram.PercentileMs(100), 999, 1001);
    }

    [Fact]
    public void PercentileMs_Empty_IsZero() => Assert.Equal(0, new LatencyHistogram().PercentileMs(99));

    [Fact]
    public void Add_TwoHistograms_MergesCounts()
    {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var i = 0; i < 99; i++)
        {
            fast.Record(TimeSpan.FromMicroseconds(300));
        }

        slow.Record(TimeSpan.FromSeconds(2));
        fast.Add(slow);

        Assert.Equal(100, fast.Count);
        Assert.Equal(0.3, fast.PercentileMs(50), 3);
        Assert.InRange(fast.PercentileMs(100), 1998, 2002);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(2047L)]
    [InlineData(2048L)]
    [InlineData(123_456L)]
    [InlineData(60_000_000L)]
    public void IndexOf_AnyValue_MidpointWithinATenthOfAPercent(long micros)
    {
        var midpoint = LatencyHistogram.MidpointOf(LatencyHistogram.IndexOf(micros));
        Assert.InRange(midpoint, micros * 0.999, (micros * 1.001) + 0.5);
    }

    [Theory]
    [InlineData(100L, 0L, false)] // why: all good
    [InlineData(100L, 50L, false)] // why: exactly half failing is degraded, not unavailable
    [InlineData(100L, 51L, true)] // why: more than half failed
    [InlineData(3L, 3L, true)] // why: nothing succeeded
    [InlineData(0L, 0L, true)] // why: no request completed at all (every one hung)
    public void IsUnavailable_RequestsAndErrors_FollowsTheRule(long requests, long errors, bool unavailable) =>
        Assert.Equal(unavailable, new TimeSeriesPoint(0, requests, errors, 0).IsUnavailable);

    [Fact]
    public void CountUnavailable_Series_CountsSeconds() =>
        Assert.Equal(2, TimeSeriesPoint.CountUnavailable(
        [
            new TimeSeriesPoint(0, 10, 0, 0),
            new TimeSeriesPoint(1, 10, 9, 0),
            new TimeSeriesPoint(2, 0, 0, 0),
            new TimeSeriesPoint(3, 10, 1, 0),
        ]));
}
