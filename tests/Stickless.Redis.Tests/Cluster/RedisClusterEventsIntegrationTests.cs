using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Cluster;

/// <summary>Lifecycle events over the cluster: published on one node, heard through another; expiries swept across every bucket.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterEventsIntegrationTests(RedisClusterServers cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly Store.RecordingObserver _observer = new();
    private RedisSessionStore _writer = null!;
    private RedisSessionStore _listener = null!;

    public async Task InitializeAsync()
    {
        _writer = cluster.CreateStore(o => o.SweepInterval = TimeSpan.FromMilliseconds(200));
        _listener = cluster.CreateStore(events: new SessionEventPublisher([_observer]));
        Assert.True(await EventuallyAsync(() => Task.FromResult(_listener.IsSubscribed), Wait), "the listener never subscribed");
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task CommitRotateDelete_OnOneNode_CreatedRenewedDeletedHeardOnAnother()
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
    public async Task Sweeper_SessionsOnEveryShardExpire_EachExpiredHeardOnceAndIndexPruned()
    {
        var ids = Enumerable.Range(0, 12).Select(_ => SessionIds.Create()).ToArray();
        foreach (var id in ids)
        {
            await _writer.CommitAsync(Create(id, idle: TimeSpan.FromSeconds(1), principal: "kate"), default);
        }

        Assert.Equal(3, (await Task.WhenAll(ids.Select(id => cluster.MasterPortOfAsync($"stickless:{{{id}}}")))).Distinct().Count());
        foreach (var id in ids)
        {
            Assert.True(await _observer.WaitForAsync(e => e.Kind == SessionEventKind.Expired && e.SessionId == id && e.Principal == "kate", Wait), $"no Expired for {id}");
        }

        await Task.Delay(500); // a few more sweeps: none may report an id again
        Assert.All(ids, id => Assert.Single(_observer.Events, e => e.Kind == SessionEventKind.Expired && e.SessionId == id));
        Assert.Equal("0", await cluster.CliAsync("SCARD", "stickless:user:{kate}"));
    }

    [Fact]
    public async Task Sweeper_DueButAlive_RescoredNotReported()
    {
        var id = SessionIds.Create();
        await _writer.CommitAsync(Create(id, principal: "liam"), default);
        var bucket = await cluster.BucketOfAsync(id);
        await cluster.CliAsync("ZADD", bucket, "1", $"{id}:liam"); // as if the bucket missed a touch

        Assert.True(await EventuallyAsync(async () => long.Parse(await cluster.CliAsync("ZSCORE", bucket, $"{id}:liam"), System.Globalization.CultureInfo.InvariantCulture) > 1, Wait));
        Assert.DoesNotContain(_observer.Events, e => e.Kind == SessionEventKind.Expired && e.SessionId == id);
    }
}
