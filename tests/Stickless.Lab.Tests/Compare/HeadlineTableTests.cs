using Stickless.Lab.Bench;
using Stickless.Lab.Report;
using Xunit;

namespace Stickless.Lab.Tests.Compare;

/// <summary>The headline the comparison report opens with (made-up runs, no server).</summary>
public sealed class HeadlineTableTests
{
    [Fact]
    public void Markdown_ThreeStrategies_RatiosAreRedisOverEachPeer()
    {
        var runs = new[] { Run("redis", 5000), Run("aspnetcore-redis", 2000, fixation: true), Run("express-redis", 4000, fixation: false) };

        var text = HeadlineTable.Markdown(runs);

        Assert.Contains("| redis | 5,000 | — |", text, StringComparison.Ordinal);
        Assert.Contains("| aspnetcore-redis | 2,000 | 2.50× |", text, StringComparison.Ordinal);
        Assert.Contains("| express-redis | 4,000 | 1.25× |", text, StringComparison.Ordinal);
        Assert.Contains("| **yes** |", text, StringComparison.Ordinal);
        Assert.Contains("workload read: 1 node, 32 connections, 3 × 10 s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_LostIncrements_ShownOutOfTheAcknowledged()
    {
        var run = Run("aspnetcore-redis", 1000) with { Workload = "contended", LostUpdates = 950, AcknowledgedWrites = 1000, Sessions = 1 };

        Assert.Contains("950 of 1,000 (95 %)", HeadlineTable.Markdown([run]), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ComparisonRuns_HeadlineComesBeforeEverythingElse()
    {
        var html = HtmlReport.Render(new BenchResults { Runs = [Run("redis", 5000), Run("aspnetcore-redis", 2000, fixation: true)] }, DateTimeOffset.UnixEpoch);

        var headline = html.IndexOf("<h2>Headline: read", StringComparison.Ordinal);
        Assert.True(headline >= 0, "no headline");
        Assert.True(headline < html.IndexOf("<h2>What happened", StringComparison.Ordinal));
        Assert.Contains("yes: fixation", html, StringComparison.Ordinal);
        Assert.Contains("2.50×", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_SameStrategyOtherWorkload_KeepsBoth()
    {
        var earlier = new BenchResults { Runs = [Run("redis", 100) with { Workload = "read" }] };

        var merged = ReportWriter.Merge(earlier, new BenchResults { Runs = [Run("redis", 200) with { Workload = "write" }, Run("redis", 300) with { Workload = "read" }] });

        Assert.Equal([200.0, 300.0], merged.Runs.Select(static r => r.Rps));
    }

    [Fact]
    public void Markdown_NearCacheAndSessionFree_SameTableRatiosAgainstTheNearCacheRun()
    {
        var runs = new[]
        {
            Run("redis", 9000) with { NearCache = true, LogoutTrials = 200, LogoutStaleAnswers = 3, LogoutUnseenP99Ms = 1.5, LogoutUnseenMaxMs = 2.5 },
            Run("redis", 10000) with { NearCache = true, SessionFree = true, Workload = "baseline" },
            Run("aspnetcore-redis", 2000),
        };

        var text = HeadlineTable.Markdown(runs);

        Assert.Contains("| redis [near-cache] | 9,000 | — |", text, StringComparison.Ordinal);
        Assert.Contains("| redis [near-cache, session-free] | 10,000 | 0.90× |", text, StringComparison.Ordinal);
        Assert.Contains("| aspnetcore-redis | 2,000 | 4.50× |", text, StringComparison.Ordinal);
        Assert.Contains("1.5 (max 2.5; 3 stale of 200 logouts)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("workload baseline", text, StringComparison.Ordinal);
    }

    private static RunResult Run(string strategy, double rps, bool? fixation = false) => new()
    {
        Strategy = strategy,
        Workload = "read",
        Rps = rps,
        Requests = (long)(rps * 30),
        P50Ms = 3,
        P99Ms = 12,
        Nodes = 1,
        Connections = 32,
        Rounds = 3,
        DurationSeconds = 30,
        StoreRoundTripsPerRequest = strategy == "redis" ? 1 : 4,
        PreLoginIdSignedInAfterLogin = fixation,
    };
}
