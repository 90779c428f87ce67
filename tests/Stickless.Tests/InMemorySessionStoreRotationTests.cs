namespace Stickless.Tests;

public sealed class InMemorySessionStoreRotationTests : StoreTestBase
{
    [Fact]
    public async Task Commit_RenameWithChanges_AppliesThemToTheNewId()
    {
        var oldId = await CreateAsync();
        var newId = SessionIds.Create();

        await Store.CommitAsync(new SessionChangeSet
        {
            SessionId = oldId,
            Now = Time.GetUtcNow(),
            NewSessionId = newId,
            SetsPrincipal = true,
            Principal = "bob",
            Attributes = new Dictionary<string, AttributeChange> { ["a"] = AttributeChange.Set(Bytes("1")) },
        }, Ct);

        var record = await LoadAsync(newId);
        Assert.Equal("bob", record!.Principal);
        Assert.Equal("1", Text(record.Attributes["a"]));
        Assert.Equal([newId], (await Store.FindByPrincipalAsync("bob", Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task Commit_ThroughExpiredGraceAlias_NotFound()
    {
        var oldId = await CreateAsync();
        var newId = SessionIds.Create();
        await RenameAsync(oldId, newId, TimeSpan.FromSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(CommitStatus.NotFound, (await SetAsync(oldId, "late", "too late")).Status);
    }

    [Fact]
    public async Task Commit_RenameTwiceWithGrace_BothOldIdsReachTheNewest()
    {
        var first = await CreateAsync(null, ("a", "1"));
        var second = SessionIds.Create();
        var third = SessionIds.Create();
        await RenameAsync(first, second, TimeSpan.FromSeconds(30));
        Time.Advance(TimeSpan.FromSeconds(5));

        await RenameAsync(second, third, TimeSpan.FromSeconds(30));

        Assert.Equal(third, (await LoadAsync(first))!.Id);
        Assert.Equal(third, (await LoadAsync(second))!.Id);

        // The first alias keeps its own deadline.
        Time.Advance(TimeSpan.FromSeconds(26));
        Assert.Null(await LoadAsync(first));
        Assert.Equal(third, (await LoadAsync(second))!.Id);
    }

    [Fact]
    public async Task Delete_RenamedSession_AlsoKillsItsGraceAlias()
    {
        var oldId = await CreateAsync();
        var newId = SessionIds.Create();
        await RenameAsync(oldId, newId, TimeSpan.FromSeconds(30));

        Assert.True(await Store.DeleteAsync(newId, Ct));

        Assert.Null(await LoadAsync(oldId));
        Assert.Equal(0, Store.AliasCount);
    }

    [Fact]
    public async Task Commit_RenameToLiveId_AlreadyExistsAndNothingChanged()
    {
        var a = await CreateAsync(null, ("who", "a"));
        var b = await CreateAsync(null, ("who", "b"));

        var result = await RenameAsync(a, b);

        Assert.Equal(CommitStatus.AlreadyExists, result.Status);
        Assert.Equal("a", Text((await LoadAsync(a))!.Attributes["who"]));
        Assert.Equal("b", Text((await LoadAsync(b))!.Attributes["who"]));
    }

    [Fact]
    public async Task Sweep_AfterGrace_RemovesAliases()
    {
        var oldId = await CreateAsync();
        await RenameAsync(oldId, SessionIds.Create(), TimeSpan.FromSeconds(10));
        Assert.Equal(1, Store.AliasCount);

        Time.Advance(InMemorySessionStore.SweepInterval);

        Assert.Equal(0, Store.AliasCount);
    }

    [Fact]
    public async Task Commit_Rename_RaisesIdRenewedOnceWithBothIds()
    {
        var oldId = await CreateAsync("alice");
        var newId = SessionIds.Create();

        await RenameAsync(oldId, newId);

        var renewed = Assert.Single(Observer.Of(SessionEventKind.IdRenewed));
        Assert.Equal(oldId, renewed.SessionId);
        Assert.Equal(newId, renewed.NewSessionId);
        Assert.Equal("alice", renewed.Principal);
    }
}
