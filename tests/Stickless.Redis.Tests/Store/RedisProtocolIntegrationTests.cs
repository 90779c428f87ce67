using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// Script replies read the same under RESP2 and RESP3 (StackExchange.Redis 3 speaks RESP3 wherever the server can):
/// every reply shape the scripts produce (arrays, nested integers, nulls inside arrays, bare integers, nil) on each.
/// </summary>
public sealed class RedisProtocolIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>
{
    [Theory]
    [InlineData("resp2", "2")]
    [InlineData("resp3", "3")]
    public async Task EveryReplyShape_UnderEachProtocol_ReadsTheSame(string protocol, string resp)
    {
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = $"{server.Configuration},protocol={protocol},name=proto-{protocol}", SweepInterval = TimeSpan.Zero });
        var id = SessionIds.Create();
        var newId = SessionIds.Create();

        var created = await store.CommitAsync(Create(id, principal: "pat", attributes: [("cart", "[1]"), ("n", "5")]), default);
        Assert.Contains($"resp={resp}", (await server.CliAsync("CLIENT", "LIST")).Split('\n').First(l => l.Contains($"proto-{protocol}", StringComparison.Ordinal)), StringComparison.Ordinal);
        var loaded = await store.LoadAsync(id, AlwaysTouch, default); // {'ok', now, touched, field, value …}
        var conflict = await store.CommitAsync(Set(id, "cart", "[2]", expectedVersion: 99), default); // {'conflict', name, version, value}
        var absent = await store.CommitAsync(Set(id, "none", "x", expectedVersion: 7), default); // a conflict on an absent attribute: version 0, value nil
        var ops = await store.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            Now = DateTimeOffset.UtcNow,
            Attributes = new Dictionary<string, AttributeChange>
            {
                ["n"] = AttributeChange.Increment(2),
                ["tags"] = AttributeChange.RemoveFromSet(Bytes("\"x\"")), // unchanged and absent: version 0, value nil in the reply
            },
        }, default);
        var rotated = await store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, RotationGrace = TimeSpan.FromSeconds(30) }, default);
        var viaAlias = await store.LoadAsync(id, NoTouch, default); // {'moved', id}, then the session
        var listed = await store.FindByPrincipalAsync("pat", default);
        var deleted = await store.DeleteAsync(id, default); // through the alias: {'moved', id}, then 1
        var gone = await store.LoadAsync(newId, NoTouch, default); // nil

        Assert.Equal(CommitStatus.Committed, created.Status);
        Assert.Equal(2, created.NewVersions.Count);
        Assert.Equal("[1]", Text(loaded!.Attributes["cart"]));
        Assert.Equal("pat", loaded.Principal);
        Assert.True(loaded.Touched);
        Assert.Equal(CommitStatus.Conflict, conflict.Status);
        Assert.Equal("[1]", Text(conflict.Conflicts["cart"]!.Value));
        Assert.Null(absent.Conflicts["none"]);
        Assert.Equal("7", Text(ops.OperationResults["n"]!.Value));
        Assert.Null(ops.OperationResults["tags"]);
        Assert.Equal(CommitStatus.Committed, rotated.Status);
        Assert.True(viaAlias!.IsGraceAlias);
        Assert.Equal(newId, viaAlias.Id);
        Assert.Equal([newId], listed.Select(s => s.Id));
        Assert.True(deleted);
        Assert.Null(gone);
    }
}
