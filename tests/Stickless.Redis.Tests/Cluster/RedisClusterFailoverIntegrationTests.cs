using System.Diagnostics;
using Xunit.Abstractions;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Cluster;

/// <summary>A cluster of its own, since this test kills one of its masters.</summary>
public sealed class RedisFailoverClusterServers : RedisClusterServers;

/// <summary>A master dies (SIGKILL); its replica takes over; the store follows without losing what WAIT confirmed.</summary>
[Collection(Stickless.Redis.Tests.Infrastructure.FailoverCollection.Name)]
public sealed class RedisClusterFailoverIntegrationTests(RedisFailoverClusterServers cluster, ITestOutputHelper output) : IClassFixture<RedisFailoverClusterServers>
{
    [Fact]
    public async Task CommitAsync_MasterKilled_ReplicaTakesOverAndNoConfirmedWriteLost()
    {
        // Writes confirmed by a replica (WAIT 1, failing the request otherwise) must survive the failover. After it,
        // the promoted master has no replica left, so WAIT 1 would fail every write: the writes that measure the
        // recovery go through a store without WAIT (warmed up before the kill, so its slot map is the old one).
        await using var durable = cluster.CreateStore(o => { o.WaitForReplicas = 1; o.OperationTimeout = TimeSpan.FromSeconds(10); }); // lanes may take seconds to open on a loaded machine
        await using var store = cluster.CreateStore();
        var ids = Enumerable.Range(0, 30).Select(_ => SessionIds.Create()).ToArray();
        foreach (var id in ids)
        {
            Assert.Equal(CommitStatus.Committed, (await durable.CommitAsync(Create(id, principal: "mia", attributes: [("cart", "[1]")]), default)).Status);
        }

        Assert.All(await Task.WhenAll(ids.Select(async id => await store.LoadAsync(id, NoTouch, default))), Assert.NotNull);

        var victim = ids[0];
        var masterPort = await cluster.MasterPortOfAsync($"stickless:{{{victim}}}");
        output.WriteLine($"cluster formed in {cluster.StartupTime.TotalMilliseconds:0} ms; killing master {masterPort}");

        var clock = Stopwatch.StartNew();
        await cluster.NodeAt(masterPort).StopAsync(); // SIGKILL
        var failures = 0;
        var attempts = 0;
        TimeSpan? resumed = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            attempts++;
            try
            {
                var result = await store.CommitAsync(Set(victim, "after", "1"), default);
                Assert.Equal(CommitStatus.Committed, result.Status);
                resumed = clock.Elapsed;
                break;
            }
            catch (SessionStoreUnavailableException)
            {
                failures++;
            }
        }

        Assert.NotNull(resumed);
        output.WriteLine($"SIGKILL of master {masterPort}: writes to its slots resumed after {resumed.Value.TotalMilliseconds:0} ms ({failures} of {attempts} calls failed meanwhile; node timeout 2000 ms).");
        foreach (var id in ids)
        {
            var record = await store.LoadAsync(id, NoTouch, default);
            Assert.NotNull(record);
            Assert.Equal("[1]", Text(record.Attributes["cart"]));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), (await store.FindByPrincipalAsync("mia", default)).Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.InRange(resumed.Value, TimeSpan.Zero, TimeSpan.FromSeconds(12));
    }
}
