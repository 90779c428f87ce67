using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

public sealed class RedisSessionStoreIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>, IAsyncLifetime
{
    private RedisSessionStore _store = null!;

    public Task InitializeAsync()
    {
        _store = server.CreateStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task CommitAsync_NewSession_LoadsWithAttributesAndMetadata()
    {
        var id = SessionIds.Create();
        var result = await _store.CommitAsync(Create(id, principal: "alice", attributes: [("cart", "[1]"), ("name", "\"x\"")]), default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(2, result.NewVersions.Count);
        var record = await _store.LoadAsync(id, NoTouch, default);
        Assert.NotNull(record);
        Assert.Equal(id, record.Id);
        Assert.Equal("alice", record.Principal);
        Assert.Equal("[1]", Text(record.Attributes["cart"]));
        Assert.Equal(result.NewVersions["cart"], record.Attributes["cart"].Version);
        Assert.Equal(TimeSpan.FromMinutes(20), record.IdleTimeout);
        Assert.False(record.Touched);
        Assert.False(record.IsGraceAlias);
        Assert.InRange(record.AbsoluteExpiry - record.CreatedAt, TimeSpan.FromHours(8) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(8) + TimeSpan.FromSeconds(5));
        var ttl = long.Parse(await server.CliAsync("PTTL", $"stickless:{{{id}}}"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 19 * 60_000, 20 * 60_000);
    }

    [Fact]
    public async Task LoadAsync_UnknownOrMalformedId_ReturnsNull()
    {
        Assert.Null(await _store.LoadAsync(SessionIds.Create(), NoTouch, default));
        Assert.Null(await _store.LoadAsync("not-an-id}{", NoTouch, default));
    }

    [Fact]
    public async Task LoadAsync_TouchDue_MovesLastAccessedAndExpiry()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);
        await server.CliAsync("PEXPIRE", $"stickless:{{{id}}}", "60000");

        var record = await _store.LoadAsync(id, AlwaysTouch, default);

        Assert.NotNull(record);
        Assert.True(record.Touched);
        var ttl = long.Parse(await server.CliAsync("PTTL", $"stickless:{{{id}}}"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ttl > 60_000, $"the touch should move the expiry back to ~20 min (PTTL {ttl})");
    }

    [Fact]
    public async Task CommitAsync_IsNewOnTakenId_AlreadyExists()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);

        var again = await _store.CommitAsync(Create(id), default);

        Assert.Equal(CommitStatus.AlreadyExists, again.Status);
    }

    [Fact]
    public async Task CommitAsync_MissingSession_NotFoundAndNothingWritten()
    {
        var id = SessionIds.Create();

        var result = await _store.CommitAsync(Set(id, "a", "1"), default);

        Assert.Equal(CommitStatus.NotFound, result.Status);
        Assert.Equal("0", await server.CliAsync("EXISTS", $"stickless:{{{id}}}"));
    }

    [Fact]
    public async Task CommitAsync_StaleExpectedVersion_ConflictWithCurrentValueAndNothingWritten()
    {
        var id = SessionIds.Create();
        var created = await _store.CommitAsync(Create(id, attributes: [("cart", "[1]")]), default);
        var v1 = created.NewVersions["cart"];
        var second = await _store.CommitAsync(Set(id, "cart", "[1,2]", v1), default);
        Assert.Equal(CommitStatus.Committed, second.Status);

        var stale = new SessionChangeSet
        {
            SessionId = id,
            Now = DateTimeOffset.UtcNow,
            Attributes = new Dictionary<string, AttributeChange>
            {
                ["cart"] = AttributeChange.Set(Bytes("[1,3]"), v1),
                ["other"] = AttributeChange.Set(Bytes("x")),
                ["absent"] = AttributeChange.Set(Bytes("y"), 5),
            },
        };
        var result = await _store.CommitAsync(stale, default);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        Assert.Equal("[1,2]", Text(result.Conflicts["cart"]!.Value));
        Assert.Equal(second.NewVersions["cart"], result.Conflicts["cart"]!.Value.Version);
        Assert.Null(result.Conflicts["absent"]);
        var record = await _store.LoadAsync(id, NoTouch, default);
        Assert.False(record!.Attributes.ContainsKey("other"));
    }

    [Fact]
    public async Task CommitAsync_ExpectedVersionZero_CreatesOnlyWhenAbsent()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);

        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Set(id, "n", "1", 0), default)).Status);
        Assert.Equal(CommitStatus.Conflict, (await _store.CommitAsync(Set(id, "n", "2", 0), default)).Status);
    }

    [Fact]
    public async Task CommitAsync_RemoveAndReAdd_VersionKeepsGrowing()
    {
        var id = SessionIds.Create();
        var v1 = (await _store.CommitAsync(Create(id, attributes: [("a", "1")]), default)).NewVersions["a"];
        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, Attributes = new Dictionary<string, AttributeChange> { ["a"] = AttributeChange.Remove() } }, default);
        Assert.False((await _store.LoadAsync(id, NoTouch, default))!.Attributes.ContainsKey("a"));

        var v2 = (await _store.CommitAsync(Set(id, "a", "2"), default)).NewVersions["a"];

        Assert.True(v2 > v1);
        Assert.Equal(CommitStatus.Conflict, (await _store.CommitAsync(Set(id, "a", "3", v1), default)).Status);
    }

    [Fact]
    public async Task CommitAsync_ClearAttributes_RemovesAllBeforeApplyingNewOnes()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "carol", attributes: [("a", "1"), ("b", "2")]), default);

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, ClearAttributes = true, Attributes = new Dictionary<string, AttributeChange> { ["c"] = AttributeChange.Set(Bytes("3")) } }, default);

        var record = await _store.LoadAsync(id, NoTouch, default);
        Assert.Equal(["c"], record!.Attributes.Keys);
        Assert.Equal("carol", record.Principal);
    }

    [Fact]
    public async Task CommitAsync_RotationWithoutGrace_MovesDataAndKillsOldId()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "dave", attributes: [("cart", "[7]")]), default);

        var result = await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, SetsPrincipal = true, Principal = "dave" }, default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await _store.LoadAsync(id, NoTouch, default));
        var moved = await _store.LoadAsync(newId, NoTouch, default);
        Assert.Equal("[7]", Text(moved!.Attributes["cart"]));
        Assert.Equal(CommitStatus.NotFound, (await _store.CommitAsync(Set(id, "x", "1"), default)).Status);
        var sessions = await _store.FindByPrincipalAsync("dave", default);
        Assert.Equal([newId], sessions.Select(s => s.Id));
        Assert.True(long.Parse(await server.CliAsync("PTTL", $"stickless:{{{newId}}}"), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task CommitAsync_RotationWithGrace_OldIdFollowsUntilGraceEnds()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, attributes: [("cart", "[7]")]), default);

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, RotationGrace = TimeSpan.FromMilliseconds(800) }, default);

        var viaOld = await _store.LoadAsync(id, NoTouch, default);
        Assert.NotNull(viaOld);
        Assert.True(viaOld.IsGraceAlias);
        Assert.Equal(newId, viaOld.Id);
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Set(id, "late", "1"), default)).Status);
        Assert.True((await _store.LoadAsync(newId, NoTouch, default))!.Attributes.ContainsKey("late"));
        Assert.True(await EventuallyAsync(async () => await _store.LoadAsync(id, NoTouch, default) is null, TimeSpan.FromSeconds(5)));
        Assert.NotNull(await _store.LoadAsync(newId, NoTouch, default));
    }

    [Fact]
    public async Task CommitAsync_NewAndRenamed_CreatesUnderNewId()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        var create = Create(id, attributes: [("a", "1")]);

        var result = await _store.CommitAsync(new SessionChangeSet { SessionId = id, IsNew = true, Now = create.Now, IdleTimeout = create.IdleTimeout, AbsoluteExpiry = create.AbsoluteExpiry, NewSessionId = newId, Attributes = create.Attributes }, default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await _store.LoadAsync(id, NoTouch, default));
        Assert.NotNull(await _store.LoadAsync(newId, NoTouch, default));
    }

    [Fact]
    public async Task DeleteAsync_Session_GoneAndIndexesCleared()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "erin"), default);

        Assert.True(await _store.DeleteAsync(id, default));

        Assert.False(await _store.DeleteAsync(id, default));
        Assert.Null(await _store.LoadAsync(id, NoTouch, default));
        Assert.Equal("0", await server.CliAsync("SISMEMBER", "stickless:user:{erin}", id));
        Assert.Equal("", await server.CliAsync("ZSCORE", "stickless:expiry", $"{id}:erin"));
    }

    [Fact]
    public async Task FindByPrincipalAsync_DeadAndReboundIds_PrunedFromIndex()
    {
        var live = SessionIds.Create();
        var dead = SessionIds.Create();
        var rebound = SessionIds.Create();
        await _store.CommitAsync(Create(live, principal: "frank"), default);
        await _store.CommitAsync(Create(dead, principal: "frank"), default);
        await _store.CommitAsync(Create(rebound, principal: "gina"), default);
        await server.CliAsync("DEL", $"stickless:{{{dead}}}"); // as if Redis expired it
        await server.CliAsync("SADD", "stickless:user:{frank}", rebound); // a stale entry: it belongs to gina

        var sessions = await _store.FindByPrincipalAsync("frank", default);

        Assert.Equal([live], sessions.Select(s => s.Id));
        Assert.Equal(live, await server.CliAsync("SMEMBERS", "stickless:user:{frank}"));
        Assert.True(sessions[0].ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(19));
    }

    [Fact]
    public async Task CommitAsync_PrincipalChangedAndCleared_IndexFollows()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "hank"), default);

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = "ivy" }, default);
        Assert.Empty(await _store.FindByPrincipalAsync("hank", default));
        Assert.Single(await _store.FindByPrincipalAsync("ivy", default));

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = null }, default);
        Assert.Empty(await _store.FindByPrincipalAsync("ivy", default));
        Assert.Null((await _store.LoadAsync(id, NoTouch, default))!.Principal);
    }

    [Fact]
    public async Task LoadAsync_SessionExpiredByRedis_ReturnsNull()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, idle: TimeSpan.FromSeconds(1)), default);
        Assert.NotNull(await _store.LoadAsync(id, NoTouch, default));

        Assert.True(await EventuallyAsync(async () => await _store.LoadAsync(id, NoTouch, default) is null, TimeSpan.FromSeconds(5)));
        Assert.Equal(CommitStatus.NotFound, (await _store.CommitAsync(Set(id, "a", "1"), default)).Status);
    }

    [Fact]
    public async Task LoadAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.LoadAsync(SessionIds.Create(), NoTouch, cts.Token));
    }

    [Fact]
    public async Task PingAsync_ServerUp_Succeeds() => await _store.PingAsync(default);
}
