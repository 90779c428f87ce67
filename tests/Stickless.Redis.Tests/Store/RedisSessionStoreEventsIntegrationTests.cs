using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>Lifecycle events travel through the Redis channel to another store instance (another node); no keyspace notifications.</summary>
public sealed class RedisSessionStoreEventsIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly RecordingObserver _observer = new();
    private RedisSessionStore _writer = null!;
    private RedisSessionStore _listener = null!;

    public async Task InitializeAsync()
    {
        _writer = server.CreateStore(o => o.SweepInterval = TimeSpan.FromMilliseconds(200));
        _listener = server.CreateStore(events: new SessionEventPublisher([_observer]));
        Assert.True(await EventuallyAsync(() => Task.FromResult(_listener.IsSubscribed), Wait), "the listener never subscribed");
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task CommitAndDelete_OnOneNode_CreatedRenewedDeletedHeardOnAnother()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();

        await _writer.CommitAsync(Create(id, principal: "jane"), default);
        await _writer.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId }, default);
        await _writer.DeleteAsync(newId, default);

        Assert.True(await _observer.WaitForAsync(e => e.Kind == SessionEventKind.Created && e.SessionId == id && e.Principal == "jane", Wait));
        Assert.True(await _observer.WaitForAsync(e => e.Kind == SessionEventKind.IdRenewed && e.SessionId == id && e.NewSessionId == newId, Wait));
        Assert.True(await _observer.WaitForAsync(e => e.Kind == SessionEventKind.Deleted && e.SessionId == newId && e.Principal == "jane", Wait));
    }

    [Fact]
    public async Task Sweeper_SessionExpiredByRedis_ExpiredHeardAndIndexPruned()
    {
        var id = SessionIds.Create();
        await _writer.CommitAsync(Create(id, idle: TimeSpan.FromSeconds(1), principal: "kate"), default);

        Assert.True(await _observer.WaitForAsync(e => e.Kind == SessionEventKind.Expired && e.SessionId == id && e.Principal == "kate", Wait));

        Assert.Null(await _writer.LoadAsync(id, NoTouch, default));
        Assert.Equal("0", await server.CliAsync("SISMEMBER", "stickless:user:{kate}", id));
        Assert.Equal("", await server.CliAsync("ZSCORE", "stickless:expiry", $"{id}:kate"));
        Assert.Single(_observer.Events, e => e.Kind == SessionEventKind.Expired && e.SessionId == id);
    }

    [Fact]
    public async Task SweepAsync_TwoNodesAtOnce_OnlyOneSweeps()
    {
        await using var other = server.CreateStore(o => o.SweepInterval = TimeSpan.FromSeconds(30));
        await using var third = server.CreateStore(o => o.SweepInterval = TimeSpan.FromSeconds(30));

        var results = await Task.WhenAll(other.SweepAsync(), third.SweepAsync());

        Assert.Contains(-1L, results);
    }
}
