using Stickless.Lab.Bench;
using Stickless.Lab.Report;
using Xunit;

namespace Stickless.Lab.Tests.Chaos;

/// <summary>Runs are named (and replace each other in results.json) by strategy, variant, fault and the fault's parameters.</summary>
public sealed class RunLabelTests
{
    [Theory]
    [InlineData("redis", null, false, null, null, "redis")]
    [InlineData("sticky", null, false, "kill-node", null, "sticky + kill-node")]
    [InlineData("redis", "aof-always", false, null, null, "redis [aof-always]")]
    [InlineData("redis", null, true, null, null, "redis [proxied]")]
    [InlineData("redis", "rdb", false, "restart-store", null, "redis [rdb] + restart-store")]
    [InlineData("redis", null, false, "slow-store", "latency 3 s, 1 node", "redis + slow-store (latency 3 s, 1 node)")]
    public void Of_Parts_NamesTheRun(string strategy, string? persistence, bool proxied, string? fault, string? settings, string expected) =>
        Assert.Equal(expected, RunLabel.Of(strategy, persistence, proxied, fault, settings));

    [Fact]
    public void Merge_SameStrategyOtherPersistenceOrLatency_KeepsBothAndReplacesTheSame()
    {
        var earlier = new BenchResults
        {
            Runs =
            [
                new RunResult { Strategy = "redis", Persistence = "none", Requests = 1 },
                new RunResult { Strategy = "redis", Persistence = "aof-always", Requests = 2 },
                new RunResult { Strategy = "redis", Fault = "slow-store", FaultSettings = "latency 500 ms", Requests = 3 },
            ],
        };
        var fresh = new BenchResults
        {
            Runs =
            [
                new RunResult { Strategy = "redis", Persistence = "aof-always", Requests = 20 },
                new RunResult { Strategy = "redis", Fault = "slow-store", FaultSettings = "latency 3 s", Requests = 30 },
            ],
        };

        var merged = ReportWriter.Merge(earlier, fresh);

        Assert.Equal([1L, 3L, 20L, 30L], merged.Runs.Select(static r => r.Requests));
    }
}
