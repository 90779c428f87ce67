using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// Round trips and writes per request, counted by the server (INFO commandstats), not by the client.
/// Commands run inside a script are counted too, so "1 evalsha, 0 writes" is visible. This class has
/// its own server and no sweeper, so nothing else runs commands while it counts.
/// </summary>
public sealed class RedisSessionStoreCommandCountIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>
{
    private static readonly string[] Writes = ["hset", "hdel", "hincrby", "pexpireat", "pexpire", "zadd", "zrem", "sadd", "srem", "del", "copy", "publish"];

    [Fact]
    public async Task LoadAsync_ReadOnlyThrottleNotDue_OneRoundTripNoWrite()
    {
        await using var store = server.CreateStore();
        var id = SessionIds.Create();
        await store.CommitAsync(Create(id, attributes: [("a", "1")]), default);
        await store.LoadAsync(id, NoTouch, default); // scripts are cached, the connection is up

        var delta = await CountAsync(async () => Assert.NotNull(await store.LoadAsync(id, NoTouch, default)));

        Assert.Equal(1, delta.GetValueOrDefault("evalsha"));
        Assert.Equal(1, delta.GetValueOrDefault("hgetall"));
        Assert.Equal(0, Writes.Sum(w => delta.GetValueOrDefault(w)));
        Assert.Equal(0, delta.GetValueOrDefault("eval") + delta.GetValueOrDefault("script|load"));
    }

    [Fact]
    public async Task LoadAsync_ThrottleDue_OneRoundTripOneTouch()
    {
        await using var store = server.CreateStore();
        var id = SessionIds.Create();
        await store.CommitAsync(Create(id), default);
        await store.LoadAsync(id, NoTouch, default);

        var delta = await CountAsync(async () => Assert.True((await store.LoadAsync(id, AlwaysTouch, default))!.Touched));

        Assert.Equal(1, delta.GetValueOrDefault("evalsha"));
        Assert.Equal(1, delta.GetValueOrDefault("hset"));
        Assert.Equal(1, delta.GetValueOrDefault("pexpireat"));
        Assert.Equal(1, delta.GetValueOrDefault("zadd"));
    }

    [Fact]
    public async Task CommitAsync_WritingRequest_OneRoundTrip()
    {
        await using var store = server.CreateStore();
        var id = SessionIds.Create();
        await store.CommitAsync(Create(id), default);

        var delta = await CountAsync(async () => Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(Set(id, "cart", "[1]", 0), default)).Status));

        Assert.Equal(1, delta.GetValueOrDefault("evalsha"));
        Assert.Equal(1, delta.GetValueOrDefault("hset"));
        Assert.Equal(0, delta.GetValueOrDefault("eval"));
    }

    private async Task<Dictionary<string, long>> CountAsync(Func<Task> request)
    {
        var before = await server.CommandStatsAsync();
        await request();
        var after = await server.CommandStatsAsync();
        return after.Where(p => p.Value > before.GetValueOrDefault(p.Key)).ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));
    }
}
