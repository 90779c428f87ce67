using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stickless.Redis.Cluster;
using Stickless.Redis.Connections;
using Xunit.Abstractions;

namespace Stickless.Redis.Tests.Cluster;

/// <summary>The cluster client against a real cluster: slots as the server computes them, MOVED, ASK, a manual failover.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterClientIntegrationTests(RedisClusterServers cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private RedisClusterClient _client = null!;

    public async Task InitializeAsync() =>
        _client = await RedisClusterClient.ConnectAsync(RedisConnectionOptions.Parse(cluster.Endpoints + ",cluster=true,syncTimeout=5000"), null, null, default);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task GetSlot_RandomKeys_AgreesWithClusterKeyslot()
    {
        var node = cluster.Nodes[0];
        var keys = Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? $"x{{{SessionIds.Create()}}}y" : SessionIds.Create() + i.ToString(CultureInfo.InvariantCulture))
            .Concat(["foo{bar", "foo{}{bar}", "foo{{bar}}zap", "{user1000}.following", ""]);
        foreach (var key in keys)
        {
            var expected = int.Parse(await node.CliAsync("CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);
            Assert.Equal(expected, ClusterSlots.GetSlot(Encoding.UTF8.GetBytes(key)));
        }
    }

    [Fact]
    public async Task ConnectAsync_ThreeMasters_MapCoversEverySlot()
    {
        Assert.Equal(16384, _client.SlotMap.CoveredSlots);
        output.WriteLine(string.Join("; ", _client.SlotMap.Shards.Select(s => $"{s.Start}-{s.End} {s.Master} [{string.Join(",", s.Replicas)}]")));
        Assert.Equal(3, _client.SlotMap.Masters.Count);
        // CLUSTER SLOTS lists a replica once it is synced: right after another test's manual failover, the demoted master may be missing.
        Assert.InRange(_client.SlotMap.Nodes.Count, 5, 6);
        Assert.True(_client.IsCluster);
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING", [], default)).GetString());
    }

    [Fact]
    public async Task ExecuteAsync_KeyMigratingThenMoved_FollowsAskThenMoved()
    {
        var (key, slot, source) = await FreshKeyAsync();
        await _client.ExecuteAsync("SET", [Encoding.UTF8.GetBytes(key), "v1"u8.ToArray()], default);
        var target = cluster.Nodes.First(n => n.Port != source && _client.SlotMap.Masters.Any(m => m.Port == n.Port)).Port;
        var sourceId = await cluster.NodeIdAsync(source);
        var targetId = await cluster.NodeIdAsync(target);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);

        // Migrate the one key by hand, as redis-cli --cluster reshard does it.
        Assert.Equal("OK", await cluster.NodeAt(target).CliAsync("CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId));
        Assert.Equal("OK", await cluster.NodeAt(source).CliAsync("CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId));
        Assert.Equal("OK", await cluster.NodeAt(source).CliAsync("MIGRATE", "127.0.0.1", target.ToString(CultureInfo.InvariantCulture), key, "0", "5000"));

        var asks = _client.AskCount;
        var value = await _client.ExecuteAsync("GET", [Encoding.UTF8.GetBytes(key)], default);
        Assert.Equal("v1", value.GetString());
        Assert.Equal(asks + 1, _client.AskCount);
        Assert.Equal(source, _client.SlotMap.GetMaster(slot)!.Port); // ASK leaves the map alone

        foreach (var master in _client.SlotMap.Masters)
        {
            await cluster.NodeAt(master.Port).CliAsync("CLUSTER", "SETSLOT", slotText, "NODE", targetId);
        }

        var moved = _client.MovedCount;
        await _client.ExecuteAsync("SET", [Encoding.UTF8.GetBytes(key), "v2"u8.ToArray()], default);
        Assert.Equal(moved + 1, _client.MovedCount);
        Assert.Equal(target, _client.SlotMap.GetMaster(slot)!.Port);
        Assert.Equal("v2", (await _client.ExecuteAsync("GET", [Encoding.UTF8.GetBytes(key)], default)).GetString());
        Assert.Equal(moved + 1, _client.MovedCount); // the map now knows
    }

    [Fact]
    public async Task ExecuteAsync_ManualFailover_FollowsTheNewMaster()
    {
        var (key, slot, oldMaster) = await FreshKeyAsync();
        await _client.ExecuteAsync("SET", [Encoding.UTF8.GetBytes(key), "before"u8.ToArray()], default);
        await _client.ExecuteAsync("WAIT", [Encoding.UTF8.GetBytes("1"), Encoding.UTF8.GetBytes("2000")], default);
        var replica = await ReplicaOfAsync(oldMaster);

        var clock = Stopwatch.StartNew();
        Assert.Equal("OK", await cluster.NodeAt(replica).CliAsync("CLUSTER", "FAILOVER"));
        await RedisClusterServers.WaitUntilAsync(async () => (await cluster.NodeAt(replica).CliAsync("ROLE")).StartsWith("master", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the replica never took over");
        var promoted = clock.Elapsed;
        await _client.ExecuteAsync("SET", [Encoding.UTF8.GetBytes(key), "after"u8.ToArray()], default);
        var followed = clock.Elapsed;

        Assert.Equal(replica, _client.SlotMap.GetMaster(slot)!.Port);
        Assert.Equal("after", (await _client.ExecuteAsync("GET", [Encoding.UTF8.GetBytes(key)], default)).GetString());
        output.WriteLine($"CLUSTER FAILOVER: replica promoted after {promoted.TotalMilliseconds:0} ms, client wrote to it after {followed.TotalMilliseconds:0} ms (MOVED followed: {_client.MovedCount}, maps read: {_client.RefreshCount}).");
    }

    /// <summary>A key whose slot holds no other key (so the slot can be moved), its slot and its master's port.</summary>
    private async Task<(string Key, int Slot, int Master)> FreshKeyAsync()
    {
        while (true)
        {
            var key = "client-test:" + SessionIds.Create();
            var slot = ClusterSlots.GetSlot(Encoding.UTF8.GetBytes(key));
            var master = await cluster.MasterPortOfAsync(key);
            if (await cluster.NodeAt(master).CliAsync("CLUSTER", "COUNTKEYSINSLOT", slot.ToString(CultureInfo.InvariantCulture)) == "0")
            {
                return (key, slot, master);
            }
        }
    }

    private async Task<int> ReplicaOfAsync(int masterPort)
    {
        var masterId = await cluster.NodeIdAsync(masterPort);
        foreach (var line in (await cluster.NodeAt(masterPort).CliAsync("CLUSTER", "NODES")).Split('\n'))
        {
            var fields = line.Trim().Split(' ');
            if (fields.Length > 3 && fields[2].Contains("slave", StringComparison.Ordinal) && fields[3] == masterId)
            {
                return int.Parse(fields[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No replica of {masterPort}.");
    }
}
