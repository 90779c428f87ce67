namespace Stickless.Conformance;

// The per-user index: "list, inspect, revoke one or all sessions of a user" rests on it.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Index_ListsEveryLiveSessionOfThePrincipalOnBothNodes()
    {
        var principal = "index-" + Guid.NewGuid().ToString("N");
        var first = await CreateAsync(A, principal);
        var second = await CreateAsync(B, principal);
        _ = await CreateAsync(A, principal + "-other");

        foreach (var store in new[] { A, B })
        {
            var listed = await store.FindByPrincipalAsync(principal, Ct);
            Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), listed.Select(s => s.Id).Order(StringComparer.Ordinal));
            Assert.All(listed, s => Assert.True(s.ExpiresAt > Clock.UtcNow));
        }
    }

    [Fact]
    public async Task Index_DeletedSession_NoLongerListed()
    {
        var principal = "index-" + Guid.NewGuid().ToString("N");
        var kept = await CreateAsync(A, principal);
        var deleted = await CreateAsync(A, principal);

        Assert.True(await B.DeleteAsync(deleted, Ct));

        Assert.Equal([kept], (await A.FindByPrincipalAsync(principal, Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task Index_PrincipalChangedOrCleared_FollowsTheSession()
    {
        var before = "index-" + Guid.NewGuid().ToString("N");
        var after = before + "-renamed";
        var id = await CreateAsync(A, before);

        Assert.Equal(CommitStatus.Committed, (await B.CommitAsync(new SessionChangeSet { SessionId = id, Now = Clock.UtcNow, SetsPrincipal = true, Principal = after }, Ct)).Status);
        Assert.Empty(await A.FindByPrincipalAsync(before, Ct));
        Assert.Equal([id], (await A.FindByPrincipalAsync(after, Ct)).Select(s => s.Id));

        Assert.Equal(CommitStatus.Committed, (await A.CommitAsync(new SessionChangeSet { SessionId = id, Now = Clock.UtcNow, SetsPrincipal = true, Principal = null }, Ct)).Status);
        Assert.Empty(await B.FindByPrincipalAsync(after, Ct));
        Assert.Null((await LoadAsync(B, id))!.Principal);
    }

    [Fact]
    public async Task Index_UnknownPrincipal_ListsNothing()
    {
        Assert.Empty(await A.FindByPrincipalAsync("nobody-" + Guid.NewGuid().ToString("N"), Ct));
    }
}
