using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Matrix;
using Xunit;

namespace Stickless.Lab.Tests.Matrix;

/// <summary>What each fault on each strategy is held to, case by case.</summary>
public sealed class PromisesTests
{
    private static readonly Dictionary<string, (RunResult Run, bool? Kept)> Cases = new()
    {
        ["redis kill-node, nothing lost: kept"] = (Run("redis", "kill-node"), true),
        ["redis kill-node, an update lost: broken"] = (Run("redis", "kill-node") with { LostUpdates = 1 }, false),
        ["sticky kill-node, the dead node's 12 users lost: kept"] = (Run("sticky", "kill-node") with { SessionsLost = 12, UsersLosingSessions = 12, UsersOnFaultTarget = 12 }, true),
        ["sticky kill-node, 20 users lost but 12 were on it: broken"] = (Run("sticky", "kill-node") with { SessionsLost = 20, UsersLosingSessions = 20, UsersOnFaultTarget = 12 }, false),
        ["another user's data, whatever the fault: broken"] = (Run("redis", "slow-store") with { WrongUser = 1 }, false),
        ["redis-ha kill-master without WAIT: no promise"] = (Run("redis-ha", "kill-master") with { LostUpdates = 5 }, null),
        ["redis-ha-wait kill-master, an acknowledged update lost: broken"] = (Run("redis-ha-wait", "kill-master") with { LostUpdates = 1 }, false),
        ["redis-ha-wait kill-lagging-master, nothing lost: kept"] = (Run("redis-ha-wait", "kill-lagging-master"), true),
        ["redis-ha kill-lagging-master, 700 lost: the documented loss, no promise"] = (Run("redis-ha", "kill-lagging-master") with { LostUpdates = 700 }, null),
        ["pause-master that failed over: broken"] = (Run("redis-ha", "pause-master") with { FailoverSeconds = 3.2 }, false),
        ["slow-store 500 ms on redis (below 2 s), no error: kept"] = (Run("redis", "slow-store") with { FaultLatencyMs = 500, ErrorsDuringFault = 0 }, true),
        ["slow-store 500 ms on redis, errors: broken"] = (Run("redis", "slow-store") with { FaultLatencyMs = 500, ErrorsDuringFault = 3 }, false),
        ["slow-store 3 s on redis (above), 503s within 2.4 s: kept"] = (Run("redis", "slow-store") with { FaultLatencyMs = 3000, Errors = 500, LongestNodeFailureMs = 2400 }, true),
        ["blackhole-store on redis, a 503 after 3.5 s: broken"] = (Run("redis", "blackhole-store") with { LongestNodeFailureMs = 3500 }, false),
        ["blackhole-store on memcached, a 503 after 1.6 s (1 s timeout): kept"] = (Run("memcached", "blackhole-store") with { LongestNodeFailureMs = 1600 }, true),
        ["restart-store without persistence, the store came back empty: kept"] = (Run("redis", "restart-store") with { StoredSessionsBeforeFault = 30, StoredSessionsAfterFault = 0, SessionsLost = 30 }, true),
        ["restart-store with aof-everysec, a session lost: broken"] = (Run("redis", "restart-store") with { Persistence = "aof-everysec", SessionsLost = 1 }, false),
        ["restart-store with rdb: the documented loss, no promise"] = (Run("redis", "restart-store") with { Persistence = "rdb", LostUpdates = 300 }, null),
        ["memcached kill-store-node, 10 of 30 users lost: about 1/3, kept"] = (Run("memcached", "kill-store-node") with { UsersLosingSessions = 10, SignedInUsersAtFault = 30 }, true),
        ["memcached kill-store-node, 20 of 30 users lost: broken"] = (Run("memcached", "kill-store-node") with { UsersLosingSessions = 20, SignedInUsersAtFault = 30 }, false),
        ["memcached-backup kill-store-node, a session lost: broken"] = (Run("memcached-backup", "kill-store-node") with { SessionsLost = 1, UsersLosingSessions = 1 }, false),
        ["all-to-all pause-node-long, nothing lost: kept"] = (Run("all-to-all", "pause-node-long"), true),
        ["primary-backup-async kill-node, updates lost: no promise"] = (Run("primary-backup-async", "kill-node") with { LostUpdates = 4 }, null),
        ["partition-peers AP, deletes held and conflicts counted: kept"] = (Run("all-to-all-proxied", "partition-peers") with { LostUpdates = 400, PartitionHeal = new HealCheck { DeletedOnOneSide = 6, WrittenOnBothSides = 6 }, ReplicationConflicts = 12 }, true),
        ["partition-peers, a deleted session came back: broken"] = (Run("all-to-all-proxied", "partition-peers") with { PartitionHeal = new HealCheck { DeletedOnOneSide = 6, Resurrected = 1 } }, false),
        ["partition-peers, written apart but no conflict counted: broken"] = (Run("primary-backup-proxied", "partition-peers") with { PartitionHeal = new HealCheck { WrittenOnBothSides = 6 }, ReplicationConflicts = 0 }, false),
        ["partition-peers with quorum, an update lost: broken"] = (Run("primary-backup-quorum", "partition-peers") with { LostUpdates = 1, PartitionHeal = new HealCheck() }, false),
        ["partition-master with min-replicas, writes taken for 5.8 s: kept"] = (Run("redis-ha", "partition-master") with { SplitBrain = new SplitBrainCheck { LastAcknowledgedAfterSeconds = 5.8, AcknowledgedWritesLost = 33 } }, true),
        ["partition-master with min-replicas, writes taken for 11 s: broken"] = (Run("redis-ha", "partition-master") with { SplitBrain = new SplitBrainCheck { LastAcknowledgedAfterSeconds = 11 } }, false),
        ["partition-master with WAIT, the probe lost nothing (the workload's stale reads aside): kept"] = (Run("redis-ha-wait", "partition-master") with { LostUpdates = 20, SplitBrain = new SplitBrainCheck() }, true),
        ["partition-master with WAIT, an acknowledged probe write lost: broken"] = (Run("redis-ha-wait", "partition-master") with { SplitBrain = new SplitBrainCheck { AcknowledgedWritesLost = 1 } }, false),
        ["partition-master without min-replicas: the documented loss, no promise"] = (Run("redis-ha-no-min-replicas", "partition-master") with { SplitBrain = new SplitBrainCheck { LastAcknowledgedAfterSeconds = 12, AcknowledgedWritesLost = 63 } }, null),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Evaluate_Run_KeptBrokenOrNoPromise(string why)
    {
        var (run, kept) = Cases[why];

        var verdict = Promises.Evaluate(run);

        Assert.True(kept == verdict.Kept, $"{why}: {verdict}");
        Assert.False(string.IsNullOrWhiteSpace(verdict.Measured));
    }

    [Fact]
    public void Plan_EveryCell_NamesAKnownStrategyAndFaultAndLastsLongEnoughForItsFault()
    {
        Assert.True(MatrixPlan.All.Count >= 40);
        Assert.Equal(MatrixPlan.All.Count, MatrixPlan.All.Select(static c => c.Label).Distinct().Count());
        foreach (var cell in MatrixPlan.All)
        {
            Assert.NotNull(Stickless.Lab.Deployment.LabStrategies.Get(cell.Strategy));
            var fault = cell.Create();
            var duration = cell.Duration(TimeSpan.FromSeconds(20));
            Assert.True(duration * cell.FaultAt(TimeSpan.FromSeconds(20)) + fault.Lasts + TimeSpan.FromSeconds(8) <= duration + TimeSpan.FromSeconds(0.5), cell.Label);
        }
    }

    [Fact]
    public async Task RunAsync_BudgetTooSmallForAnyCell_NoneStartsAndEachSaysWhy()
    {
        var cells = MatrixPlan.Select(["redis"], []);

        var result = await new MatrixRunner(new LabTestLog(), TextWriter.Null, TimeProvider.System)
            .RunAsync(cells, new MatrixOptions { Budget = TimeSpan.FromSeconds(30) }, null, CancellationToken.None);

        Assert.Equal(cells.Count, result.NotRun);
        Assert.All(result.Cells, static c => Assert.Contains("budget", c.NotRun, StringComparison.Ordinal));
        Assert.Contains("did not run", MatrixReport.Markdown(result), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Matrix_FiltersAndRefusesSingleRunOptions()
    {
        Assert.True(ChaosArguments.TryParse(["--matrix", "--strategies", "redis,memcached", "--faults", "kill-node", "--budget", "10"], out var parsed, out var errors), string.Join("; ", errors));
        Assert.True(parsed.Matrix);
        Assert.Equal(["redis", "memcached"], parsed.MatrixStrategies);
        Assert.Equal(TimeSpan.FromMinutes(10), parsed.Budget);
        Assert.Equal(0.3, parsed.WriteFraction);

        Assert.False(ChaosArguments.TryParse(["--matrix", "--strategy", "redis", "--strategies", "nope", "--faults", "no-fault"], out _, out errors));
        Assert.Equal(3, errors.Count);
        Assert.False(ChaosArguments.TryParse(["--strategies", "redis"], out _, out errors));
        Assert.Contains(errors, static e => e.Contains("--matrix", StringComparison.Ordinal));
    }

    private static RunResult Run(string strategy, string fault) => new()
    {
        Strategy = strategy,
        Fault = fault,
        Requests = 1000,
        Nodes = 3,
        Users = 30,
        SignedInUsersAtFault = 30,
    };
}
