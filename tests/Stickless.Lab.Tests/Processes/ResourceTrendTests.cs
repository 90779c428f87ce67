using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests.Processes;

/// <summary>When a process counts as flat: the second half's slope against the tolerance.</summary>
public sealed class ResourceTrendTests
{
    public static TheoryData<string, double[], bool> Series() => new()
    {
        { "steady", [100, 100, 100, 100, 100, 100, 100, 100], true },
        { "warm-up growth, then level: the first half does not count", [10, 40, 80, 100, 100, 101, 99, 100], true },
        { "noise around a level", [100, 108, 95, 104, 97, 106, 94, 103], true },
        { "a leak: 20 per sample all along", [100, 120, 140, 160, 180, 200, 220, 240], false },
        { "a late leak", [100, 100, 100, 100, 100, 130, 160, 190], false },
    };

    [Theory]
    [MemberData(nameof(Series))]
    public void Of_Series_FlatWhenTheSecondHalfGrowsWithinTolerance(string why, double[] values, bool flat)
    {
        var seconds = Enumerable.Range(0, values.Length).Select(static i => (double)i * 10).ToList();

        var trend = ResourceTrend.Of(seconds, values, absoluteTolerance: 20, relativeTolerance: 0.05);

        Assert.NotNull(trend);
        Assert.True(flat == trend.Flat, $"{why}: growth {trend.SecondHalfGrowth} against {trend.Tolerance}");
        Assert.Equal(values.Max(), trend.Peak);
    }

    [Fact]
    public void Of_FewerThanFourSamples_Null() =>
        Assert.Null(ResourceTrend.Of([0, 1, 2], [1, 2, 3], 1, 0));

    [Fact]
    public void Of_SteadyLeak_SlopeIsPerMinute()
    {
        // 1 MiB every 10 s: 6 MiB a minute.
        var seconds = Enumerable.Range(0, 10).Select(static i => i * 10.0).ToList();
        var values = seconds.Select(static s => s / 10 * 1024 * 1024).ToList();

        var trend = ResourceTrend.Of(seconds, values, 0, 0)!;

        Assert.Equal(6 * 1024 * 1024, trend.SlopePerMinute, 1);
    }

    [Fact]
    public void Usage_RestartedProcess_TrendsOverItsLongestIncarnation()
    {
        List<ProcessSample> samples =
        [
            .. Enumerable.Range(0, 3).Select(static i => new ProcessSample(i, 100, 1_000_000 * (i + 1), 10, 50)),
            .. Enumerable.Range(3, 8).Select(static i => new ProcessSample(i, 200, 50_000_000, 20, 60)),
        ];

        var usage = ProcessUsage.Of("node1", samples, UsageTolerance.Default);

        Assert.Equal([100, 200], usage.Pids);
        Assert.Equal(8, usage.Samples);
        Assert.True(usage.Flat);
        Assert.Equal(50_000_000, usage.MemoryBytes!.First);
    }
}
