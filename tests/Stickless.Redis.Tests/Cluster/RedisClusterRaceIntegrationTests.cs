using System.Text.Json;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Cluster;

/// <summary>Races between requests of one session on two store instances (two app nodes) over the cluster.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterRaceIntegrationTests(RedisClusterServers cluster) : IAsyncLifetime
{
    private RedisSessionStore _nodeA = null!;
    private RedisSessionStore _nodeB = null!;

    public Task InitializeAsync()
    {
        _nodeA = cluster.CreateStore();
        _nodeB = cluster.CreateStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
    }

    [Fact]
    public async Task CommitAsync_RacingDelete_NeverResurrects()
    {
        const int Rounds = 200;
        var resurrected = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var id = SessionIds.Create();
            await _nodeA.CommitAsync(Create(id, principal: "racer", attributes: [("a", "0")]), default);

            var commit = Task.Run(async () => await _nodeA.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, Touch = true, SetsPrincipal = true, Principal = "racer2", Attributes = new Dictionary<string, AttributeChange> { ["b"] = AttributeChange.Set(Bytes("1")) } }, default));
            var delete = Task.Run(async () => await _nodeB.DeleteAsync(id, default));
            var committed = (await commit).Status;
            Assert.True(await delete);
            Assert.True(committed is CommitStatus.Committed or CommitStatus.NotFound, $"commit answered {committed}");
            if (await _nodeA.LoadAsync(id, NoTouch, default) is not null)
            {
                resurrected++;
            }
        }

        Assert.Equal(0, resurrected);
        // The index follow-ups are not atomic with the scripts, but readers prune whatever lags.
        Assert.Empty(await _nodeA.FindByPrincipalAsync("racer2", default));
        Assert.Empty(await _nodeA.FindByPrincipalAsync("racer", default));
    }

    [Fact]
    public async Task CommitAsync_RacingRotation_OneWinnerNoLoss()
    {
        for (var round = 0; round < 30; round++)
        {
            var id = SessionIds.Create();
            var newId = SessionIds.Create();
            await _nodeA.CommitAsync(Create(id, attributes: [("a", "0")]), default);

            var rotate = Task.Run(async () => await _nodeA.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, RotationGrace = TimeSpan.FromSeconds(5) }, default));
            var write = Task.Run(async () => await _nodeB.CommitAsync(Set(id, "b", "1"), default));

            Assert.Equal(CommitStatus.Committed, (await rotate).Status);
            Assert.Equal(CommitStatus.Committed, (await write).Status); // before the freeze, or followed to the new id
            var record = await _nodeB.LoadAsync(newId, NoTouch, default);
            Assert.Equal("1", Text(record!.Attributes["b"]));
        }
    }

    [Fact]
    public async Task CommitAsync_200ConcurrentCompareAndSetAdds_Keeps200()
    {
        var id = SessionIds.Create();
        await _nodeA.CommitAsync(Create(id), default);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(item => Task.Run(() => AddAsync(item % 2 == 0 ? _nodeA : _nodeB, id, item))));

        var record = await _nodeB.LoadAsync(id, NoTouch, default);
        var items = JsonSerializer.Deserialize<List<int>>(record!.Attributes["wishlist"].Value.Span)!;
        Assert.Equal(Enumerable.Range(0, 200), items.Order());
    }

    private static async Task AddAsync(RedisSessionStore store, string id, int item)
    {
        var current = (await store.LoadAsync(id, NoTouch, default))!.Attributes.TryGetValue("wishlist", out var a) ? a : (SessionAttribute?)null;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var list = current is { } c ? JsonSerializer.Deserialize<List<int>>(c.Value.Span)! : [];
            list.Add(item);
            var change = AttributeChange.Set(JsonSerializer.SerializeToUtf8Bytes(list), current?.Version ?? 0);
            var result = await store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, Attributes = new Dictionary<string, AttributeChange> { ["wishlist"] = change } }, default);
            if (result.Status == CommitStatus.Committed)
            {
                return;
            }

            Assert.Equal(CommitStatus.Conflict, result.Status);
            current = result.Conflicts["wishlist"];
        }

        throw new InvalidOperationException($"item {item}: too many conflicts");
    }
}
