using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Memcached;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>The memcached strategies' servers as real processes (no Festa).</summary>
[Collection(BenchFixture.Collection)]
public sealed class MemcachedStrategyTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("memcached", false)]
    [InlineData("memcached-backup", true)]
    public void LabStrategies_MemcachedNames_AreRegisteredWithTheirBackupMode(string name, bool backup)
    {
        var strategy = Assert.IsType<MemcachedStrategy>(LabStrategies.Get(name));
        Assert.Equal(backup, strategy.Backup);
        Assert.True(strategy.SharesSessions);
        Assert.False(strategy.StickyRouting);
    }

    [Theory]
    [InlineData("kill-store-node")]
    [InlineData("pause-store-node")]
    [InlineData("restart-store-node")]
    public void FaultRegistry_StoreNodeFaults_AreRegistered(string name)
    {
        Assert.True(FaultRegistry.TryCreate(name, out var fault));
        Assert.Equal(name, fault.Name);
    }

    [Fact]
    public async Task StartServicesAsync_MemcachedBackup_ThreeNamedServersCountedByTheirOwnStatsAndDownLeavesNothing()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var strategy = new MemcachedStrategy(backup: true);
        var harness = await RedisServicesHarness.StartAsync(strategy, timeout.Token);
        var labDirectory = harness.LabDirectory;
        IReadOnlyList<PidFileRecord> records;
        await using (harness)
        {
            Assert.Equal(["memcached1", "memcached2", "memcached3"], harness.Services.Select(s => s.Name));
            var configuration = strategy.NodeConfiguration(harness.Context, new LabNodePlan(1, "node1", 1));
            Assert.Contains(new KeyValuePair<string, string>("Stickless:Store", "Memcached"), configuration);
            Assert.Contains(new KeyValuePair<string, string>("Stickless:Memcached:Backup", "true"), configuration);
            Assert.Contains(new KeyValuePair<string, string>("Stickless:Memcached:Servers:1", $"{harness.Services[1].Endpoint} 1 memcached2"), configuration);
            Assert.Contains(configuration, pair => pair.Key == "Stickless:Memcached:HashKey" && pair.Value.Length >= 32);

            var items = await strategy.CountItemsAsync(harness.Context, timeout.Token);
            Assert.Equal(3, items.Count);
            Assert.All(items.Values, count => Assert.Equal(0, count));
            var before = await strategy.CountStoreRequestsAsync(harness.Context, timeout.Token);
            var stats = await MemcachedLabClient.StatsAsync(harness.Services[0].Port, timeout.Token);
            Assert.True(MemcachedLabClient.Get(stats, "uptime") >= 0);
            Assert.Equal(before, await strategy.CountStoreRequestsAsync(harness.Context, timeout.Token));
            records = harness.Records;
            Assert.Equal(3, records.Count);
        }

        Assert.Empty(LabLeftovers.Records(labDirectory));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, records, TimeSpan.FromSeconds(5));
    }
}
