using System.Text;
using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;
using Stickless.Memcached.Tests.Infrastructure;

namespace Stickless.Memcached.Tests.Connections;

public sealed class MemcachedNodeIntegrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SetGetDelete_RealServer_RoundTripWithCasFlagsAndTtl()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var node = NodeFactory.Create(server.Port);

        var stored = await node.SetAsync("k1"u8, "hello"u8.ToArray(), new MetaSetOptions(MetaSetMode.Add, 60, ClientFlags: 7, ReturnCas: true), CancellationToken.None);
        Assert.Equal(MetaStatus.Header, stored.Status);
        Assert.NotEqual(0ul, stored.Cas);

        var hit = await node.GetAsync("k1"u8, MetaGetFlags.Value | MetaGetFlags.Cas | MetaGetFlags.ClientFlags | MetaGetFlags.Ttl, 0, CancellationToken.None);
        Assert.Equal(MetaStatus.Value, hit.Status);
        Assert.Equal("hello", Encoding.ASCII.GetString(hit.Value!));
        Assert.Equal(stored.Cas, hit.Cas);
        Assert.Equal(7u, hit.ClientFlags);
        Assert.InRange(hit.Ttl!.Value, 55, 60);

        Assert.Equal(MetaStatus.NotStored, (await node.SetAsync("k1"u8, "x"u8.ToArray(), new MetaSetOptions(MetaSetMode.Add, 60), CancellationToken.None)).Status);
        Assert.Equal(MetaStatus.Exists, (await node.SetAsync("k1"u8, "x"u8.ToArray(), new MetaSetOptions(MetaSetMode.Set, 60, Cas: stored.Cas + 1000), CancellationToken.None)).Status);
        Assert.Equal(MetaStatus.Header, (await node.SetAsync("k1"u8, "y"u8.ToArray(), new MetaSetOptions(MetaSetMode.Set, 60, Cas: stored.Cas), CancellationToken.None)).Status);
        Assert.Equal(MetaStatus.Header, (await node.DeleteAsync("k1"u8, 0, CancellationToken.None)).Status);
        Assert.Equal(MetaStatus.Miss, (await node.GetAsync("k1"u8, MetaGetFlags.Value, 0, CancellationToken.None)).Status);

        // A compare-and-set never creates: it answers NF on a missing item.
        Assert.Equal(MetaStatus.NotFound, (await node.SetAsync("k1"u8, "z"u8.ToArray(), new MetaSetOptions(MetaSetMode.Set, 60, Cas: stored.Cas), CancellationToken.None)).Status);
        Assert.Equal(MetaStatus.Miss, (await node.GetAsync("k1"u8, MetaGetFlags.Value, 0, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Connect_ServerWithLargerItems_ReadsItemSizeMaxAndVersion()
    {
        await using var server = await MemcachedServer.StartAsync("-I", "2m");
        await using var node = NodeFactory.Create(server.Port);
        await node.NoOpAsync(CancellationToken.None);

        Assert.Equal(2 * 1024 * 1024, node.Info!.ItemSizeMax);
        Assert.True(MemcachedStats.TryParseVersion(node.Info.Version, out var version) && version >= new Version(1, 6, 18));

        // A value of 1.5 MB fits now, and comes back whole.
        var big = new byte[1_500_000];
        Random.Shared.NextBytes(big);
        await node.SetAsync("big"u8, big, new MetaSetOptions(MetaSetMode.Set, 60), CancellationToken.None);
        var hit = await node.GetAsync("big"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        Assert.Equal(big, hit.Value);
    }

    [Fact]
    public async Task SetAsync_Oversized_RefusedAndTheExistingItemSurvives()
    {
        // memcached deletes the existing item when an oversized ms fails: the client must never send one.
        await using var server = await MemcachedServer.StartAsync();
        await using var node = NodeFactory.Create(server.Port);
        await node.SetAsync("s"u8, "precious"u8.ToArray(), new MetaSetOptions(MetaSetMode.Set, 60), CancellationToken.None);

        Assert.Throws<MemcachedItemTooLargeException>(() => { _ = node.SetAsync("s"u8, new byte[1024 * 1024], new MetaSetOptions(MetaSetMode.Set, 60), CancellationToken.None); });

        var hit = await node.GetAsync("s"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        Assert.Equal("precious", Encoding.ASCII.GetString(hit.Value!));
    }

    [Fact]
    public async Task Kill_ThenRestartEmpty_MarkedDownThenReadmittedWithoutFlushByUptime()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var node = NodeFactory.Create(server.Port, operationTimeout: TimeSpan.FromSeconds(1));
        await node.NoOpAsync(CancellationToken.None);

        await server.KillAsync();
        await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => node.NoOpAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.True(node.IsDown);
        Assert.False(await node.ProbeAsync());

        // Down for over two seconds, then back with an uptime below that: proof it restarted empty.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await server.RestartAsync();
        Assert.True(await node.ProbeAsync().WaitAsync(Bound));
        Assert.Equal(0, node.Flushes);
        Assert.Equal(MetaStatus.NoOp, (await node.NoOpAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Pause_ThenResume_MarkedDownThenFlushedBeforeUse()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var node = NodeFactory.Create(server.Port, operationTimeout: TimeSpan.FromMilliseconds(300));
        await node.SetAsync("old"u8, "stale"u8.ToArray(), new MetaSetOptions(MetaSetMode.Set, 600), CancellationToken.None);

        server.Pause();
        await Assert.ThrowsAsync<MemcachedTimeoutException>(() => node.GetAsync("a"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound));
        await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => node.GetAsync("b"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound));
        Assert.True(node.IsDown);
        Assert.False(await node.ProbeAsync().WaitAsync(Bound));

        server.Resume();
        Assert.True(await node.ProbeAsync().WaitAsync(Bound));
        Assert.Equal(1, node.Flushes);
        Assert.Equal(MetaStatus.Miss, (await node.GetAsync("old"u8, MetaGetFlags.Value, 0, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task GetAsync_ManyConcurrentCallers_EachGetsItsOwnValue()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var node = NodeFactory.Create(server.Port);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            node.SetAsync(Encoding.ASCII.GetBytes("k" + i), Encoding.ASCII.GetBytes("v" + i), new MetaSetOptions(MetaSetMode.Set, 60), CancellationToken.None)));

        var replies = await Task.WhenAll(Enumerable.Range(0, 2000).Select(async i =>
        {
            var n = i % 200;
            var reply = await node.GetAsync(Encoding.ASCII.GetBytes("k" + n), MetaGetFlags.Value, 0, CancellationToken.None);
            return (n, Encoding.ASCII.GetString(reply.Value!));
        }));
        Assert.All(replies, r => Assert.Equal("v" + r.n, r.Item2));
    }
}
