using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>The redis-cluster servers as real processes: three masters with a replica each (no Festa).</summary>
[Collection(BenchFixture.Collection)]
public sealed class RedisClusterStrategyTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, 3, 0, 5460)]
    [InlineData(1, 3, 5461, 10922)]
    [InlineData(2, 3, 10923, 16383)]
    public void SlotRange_ThreeMasters_SplitsAsRedisCliDoes(int index, int count, int start, int end) =>
        Assert.Equal((start, end), RedisClusterBootstrap.SlotRange(index, count));

    [Fact]
    public async Task StartServicesAsync_RedisCluster_AllSlotsCoveredAndAKilledMastersReplicaTakesOver()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var strategy = new RedisClusterStrategy();
        var harness = await RedisServicesHarness.StartAsync(strategy, timeout.Token);
        var labDirectory = harness.LabDirectory;
        IReadOnlyList<PidFileRecord> records;
        await using (harness)
        {
            Assert.Equal(6, harness.Services.Count);
            foreach (var node in harness.Services)
            {
                var info = await RedisInfo.ReadClusterAsync(node.Port, timeout.Token);
                Assert.Equal("ok", info["cluster_state"]);
                Assert.Equal("16384", info["cluster_slots_ok"]);
            }

            var lines = await RedisClusterBootstrap.NodesAsync(harness.Services[0].Port, timeout.Token);
            Assert.Equal(3, lines.Count(l => l.IsHealthyMaster && l.Slots.Count > 0));
            Assert.Equal(3, lines.Count(l => l.Flags.Contains("slave")));
            Assert.Equal(0, await strategy.CountStoredSessionsAsync(harness.Context, timeout.Token));
            Assert.Equal(string.Join(",", harness.Services.Select(s => s.Endpoint)), strategy.NodeConfiguration(harness.Context, new LabNodePlan(1, "node1", 1))[1].Value); // StackExchange.Redis finds the cluster by itself

            var master = await strategy.FindMasterAsync(harness.Services, timeout.Token);
            var killedAt = TimeProvider.System.GetTimestamp();
            await master.Service.KillAsync();
            var (successor, elapsed) = await FailoverWatch.WaitAsync(strategy, harness.Services, master, killedAt, TimeSpan.FromSeconds(20), TimeProvider.System, timeout.Token);

            Assert.NotNull(successor);
            Assert.NotEqual(master.Service, successor);
            Assert.True(elapsed < strategy.DownAfter + TimeSpan.FromSeconds(3), $"failover took {elapsed}");
            records = harness.Records;
        }

        Assert.Empty(LabLeftovers.Records(labDirectory));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, records, TimeSpan.FromSeconds(5));
    }
}
