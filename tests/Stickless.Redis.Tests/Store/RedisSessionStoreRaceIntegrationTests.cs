using System.Text.Json;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>Races between requests of one session, with two store instances standing for two app nodes.</summary>
public sealed class RedisSessionStoreRaceIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>, IAsyncLifetime
{
    private RedisSessionStore _nodeA = null!;
    private RedisSessionStore _nodeB = null!;

    public Task InitializeAsync()
    {
        _nodeA = server.CreateStore();
        _nodeB = server.CreateStore();
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
        const int Rounds = 500;
        var resurrected = 0;
        var committedBeforeDelete = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var id = SessionIds.Create();
            await _nodeA.CommitAsync(Create(id, principal: "racer", attributes: [("a", "0")]), default);

            var commit = Task.Run(async () => await _nodeA.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, Touch = true, SetsPrincipal = true, Principal = "racer2", Attributes = new Dictionary<string, AttributeChange> { ["b"] = AttributeChange.Set(Bytes("1")) } }, default));
            var delete = Task.Run(async () => await _nodeB.DeleteAsync(id, default));
            var committed = (await commit).Status;
            Assert.True(await delete);
            Assert.True(committed is CommitStatus.Committed or CommitStatus.NotFound, $"commit answered {committed}");
            if (committed == CommitStatus.Committed)
            {
                committedBeforeDelete++;
            }

            if (await _nodeA.LoadAsync(id, NoTouch, default) is not null)
            {
                resurrected++;
            }
        }

        Assert.Equal(0, resurrected);
        Assert.Equal("0", await server.CliAsync("SCARD", "stickless:user:{racer2}"));
        Assert.Equal("0", await server.CliAsync("SCARD", "stickless:user:{racer}"));
        Assert.InRange(committedBeforeDelete, 0, Rounds);
    }

    [Fact]
    public async Task CommitAsync_TwoNodesSetDifferentAttributes_BothSurvive()
    {
        for (var round = 0; round < 50; round++)
        {
            var id = SessionIds.Create();
            await _nodeA.CommitAsync(Create(id), default);

            var results = await Task.WhenAll(
                Task.Run(async () => await _nodeA.CommitAsync(Set(id, "left", "L"), default)),
                Task.Run(async () => await _nodeB.CommitAsync(Set(id, "right", "R"), default)));

            Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
            var record = await _nodeA.LoadAsync(id, NoTouch, default);
            Assert.Equal("L", Text(record!.Attributes["left"]));
            Assert.Equal("R", Text(record.Attributes["right"]));
        }
    }

    [Fact]
    public async Task CommitAsync_200ConcurrentCompareAndSetAdds_Keeps200()
    {
        var id = SessionIds.Create();
        await _nodeA.CommitAsync(Create(id), default);

        var adds = Enumerable.Range(0, 200).Select(item => Task.Run(() => AddAsync(item % 2 == 0 ? _nodeA : _nodeB, id, item))).ToArray();
        await Task.WhenAll(adds);

        var record = await _nodeB.LoadAsync(id, NoTouch, default);
        var items = JsonSerializer.Deserialize<List<int>>(record!.Attributes["wishlist"].Value.Span)!;
        Assert.Equal(Enumerable.Range(0, 200), items.Order());
    }

    /// <summary>A read-modify-write add, as <c>UpdateAsync</c> does it: CAS, and on conflict retry from the value the conflict returned.</summary>
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
