using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Chaos;

/// <summary>
/// The split brain of a Sentinel deployment: the master and node1 cut off from the replicas, the sentinels and the other
/// nodes, through a fault proxy on every link. min-replicas-to-write bounds what the cut-off master acknowledges; without
/// it, it acknowledges writes for the whole partition, and the heal discards them.
/// </summary>
[Collection(BenchFixture.Collection)]
public sealed class PartitionMasterIntegrationTests
{
    private readonly BenchFixture _fixture;

    public PartitionMasterIntegrationTests(BenchFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("redis-ha")]
    [InlineData("redis-ha-no-min-replicas")]
    public async Task RunAsync_PartitionMaster_FailsOverAndTheCutOffSideLosesWhatItAcknowledged(string strategy)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var log = new LabTestLog();
        var plan = new RunPlan(
            strategy,
            3,
            _fixture.Paths.RunDirectory("chaos-test-" + strategy),
            new WorkloadOptions { Users = 8, Duration = TimeSpan.FromSeconds(36), WarmUpTimeout = TimeSpan.FromSeconds(45), WriteFraction = 0.3 },
            new FaultPlan(new PartitionMasterFault(TimeSpan.FromSeconds(10)), At: 0.15))
        {
            Paths = _fixture.Paths,
        };

        var result = await new BenchRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(plan, timeout.Token);

        var split = result.SplitBrain;
        Assert.NotNull(split);
        var why = $"{result.FaultDetail}\n{log}";
        Assert.NotNull(result.FailoverTo);
        Assert.Equal(["node1"], split.MinorityNodes);
        Assert.Equal(0, split.UnattributedConnections);
        Assert.True(split.WritesAcknowledged > 0, why);
        Assert.True(split.AcknowledgedWritesLost > 0, "the heal must discard what the cut-off master took alone: " + why);
        Assert.NotNull(split.OldMasterRejoinedAfterSeconds);
        if (strategy == "redis-ha")
        {
            // min-replicas-max-lag 5 s: writes stop within it (and the 1 s between the replicas' acknowledgements).
            Assert.InRange(split.LastAcknowledgedAfterSeconds, 3, 7);
        }
        else
        {
            Assert.True(split.LastAcknowledgedAfterSeconds >= 8.5, why);
        }

        Assert.Equal(0, result.WrongUser);
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
