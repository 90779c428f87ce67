namespace Stickless.Tests;

public sealed class InMemorySessionStoreIndexTests : StoreTestBase
{
    [Fact]
    public async Task FindByPrincipal_SeveralSessions_ListsOnlyThatPrincipals()
    {
        var a1 = await CreateAsync("alice");
        var a2 = await CreateAsync("alice");
        await CreateAsync("bob");
        await CreateAsync();

        var found = await Store.FindByPrincipalAsync("alice", Ct);

        Assert.Equal(new[] { a1, a2 }.Order(StringComparer.Ordinal), found.Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindByPrincipal_Summary_CarriesTimestamps()
    {
        var id = await CreateAsync("alice");
        var created = Time.GetUtcNow();

        var summary = Assert.Single(await Store.FindByPrincipalAsync("alice", Ct));

        Assert.Equal(new SessionSummary(id, created, created, created + Idle), summary);
    }

    [Fact]
    public async Task FindByPrincipal_UnknownPrincipal_Empty()
    {
        Assert.Empty(await Store.FindByPrincipalAsync("nobody", Ct));
    }

    [Fact]
    public async Task FindByPrincipal_CaseDiffers_NotFound()
    {
        await CreateAsync("alice");

        Assert.Empty(await Store.FindByPrincipalAsync("Alice", Ct));
    }

    [Fact]
    public async Task Delete_IndexedSession_LeavesIndex()
    {
        var id = await CreateAsync("alice");
        var other = await CreateAsync("alice");

        await Store.DeleteAsync(id, Ct);

        Assert.Equal([other], (await Store.FindByPrincipalAsync("alice", Ct)).Select(s => s.Id));
        Assert.Equal(1, Store.IndexedSessionCount("alice"));
    }

    [Fact]
    public async Task FindByPrincipal_ExpiredSession_PrunedAndExpiredRaised()
    {
        // Sweeps run every 30 s from 0:00. The old session dies at 20:10 and the lookup happens at 20:15,
        // so no sweep has seen it dead: this tests the lazy path.
        Time.Advance(TimeSpan.FromSeconds(10));
        var old = await CreateAsync("alice");
        Time.Advance(TimeSpan.FromMinutes(15));
        var young = await CreateAsync("alice");
        Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        Assert.Equal(2, Store.IndexedSessionCount("alice"));

        var found = await Store.FindByPrincipalAsync("alice", Ct);

        Assert.Equal([young], found.Select(s => s.Id));
        Assert.Equal(1, Store.IndexedSessionCount("alice"));
        Assert.Equal([old], Observer.Of(SessionEventKind.Expired).Select(e => e.SessionId));
    }

    [Fact]
    public async Task Commit_PrincipalChanges_IndexFollows()
    {
        var id = await CreateAsync("alice");

        await Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), SetsPrincipal = true, Principal = "bob" }, Ct);

        Assert.Empty(await Store.FindByPrincipalAsync("alice", Ct));
        Assert.Equal(0, Store.IndexedSessionCount("alice"));
        Assert.Equal([id], (await Store.FindByPrincipalAsync("bob", Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task Commit_PrincipalCleared_LeavesIndex()
    {
        var id = await CreateAsync("alice");

        await Store.CommitAsync(new SessionChangeSet { SessionId = id, Now = Time.GetUtcNow(), SetsPrincipal = true, Principal = null }, Ct);

        Assert.Empty(await Store.FindByPrincipalAsync("alice", Ct));
        Assert.Equal(0, Store.IndexedSessionCount("alice"));
    }

    [Fact]
    public async Task Commit_Rename_IndexFollowsNewId()
    {
        var oldId = await CreateAsync("alice");
        var newId = SessionIds.Create();

        await RenameAsync(oldId, newId, TimeSpan.FromSeconds(10));

        Assert.Equal([newId], (await Store.FindByPrincipalAsync("alice", Ct)).Select(s => s.Id));
        Assert.Equal(1, Store.IndexedSessionCount("alice"));
    }
}
