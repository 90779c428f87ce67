using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Replication;

/// <summary>A real peer partition through the lab's fault proxies: three Festa nodes replicating, HAProxy in front.</summary>
[Collection(BenchFixture.Collection)]
public sealed class PartitionPeersIntegrationTests
{
    private readonly BenchFixture _fixture;

    public PartitionPeersIntegrationTests(BenchFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("all-to-all-proxied")]
    [InlineData("primary-backup-quorum")]
    public async Task RunAsync_PartitionPeers_NothingDeletedComesBackAndEveryNodeAgreesAfterTheHeal(string strategy)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var log = new LabTestLog();
        var pids = new List<int>();
        var plan = new RunPlan(
            strategy,
            3,
            _fixture.Paths.RunDirectory("chaos-test-" + strategy),
            new WorkloadOptions { Users = 8, Duration = TimeSpan.FromSeconds(16), WarmUpTimeout = TimeSpan.FromSeconds(45), WriteFraction = 0.3 },
            new FaultPlan(new PartitionPeersFault(), At: 0.2))
        {
            Paths = _fixture.Paths,
            DeploymentStarted = d => pids.AddRange(BenchProcessTests.AllPids(d)),
        };

        var result = await new BenchRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(plan, timeout.Token);

        var heal = result.PartitionHeal;
        Assert.NotNull(heal);
        Assert.Equal(4, result.LinksHit);
        Assert.True(result.FaultHeldSeconds >= 7.5, $"held {result.FaultHeldSeconds} s\n{log}");
        Assert.Equal(HealProbe.ProbesPerKind, heal.DeletedOnOneSide);
        Assert.Equal(0, heal.Resurrected);
        Assert.Equal(0, heal.Diverged);
        Assert.NotNull(heal.ConvergedAfterSeconds);
        Assert.Equal(0, result.WrongUser);
        if (strategy == "primary-backup-quorum")
        {
            // The minority side refuses: nothing is written apart, so nothing can be lost at the heal.
            Assert.Equal(0, heal.WrittenAfterDeleteOnOtherSide);
            Assert.Equal(0, heal.WrittenOnBothSides);
            Assert.Equal(0, heal.AcknowledgedWritesLost);
        }
        else
        {
            Assert.True(heal.WrittenOnBothSides > 0, $"both sides of an AP store serve\n{log}");
            Assert.True(result.ReplicationConflicts > 0, $"the heal must count the sessions written apart\n{log}");
        }

        Assert.All(pids, pid => Assert.False(BenchFixture.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
