namespace Stickless.Tests;

public sealed class InMemorySessionStoreEventTests : StoreTestBase
{
    [Fact]
    public async Task Commit_New_RaisesCreatedOnce()
    {
        var id = await CreateAsync("alice");
        await SetAsync(id, "a", "1");

        var created = Assert.Single(Observer.Events);
        Assert.Equal(new SessionLifecycleEvent(SessionEventKind.Created, id, null, "alice", Time.GetUtcNow()), created);
    }

    [Fact]
    public async Task Delete_Live_RaisesDeletedOnce()
    {
        var id = await CreateAsync("alice");

        await Store.DeleteAsync(id, Ct);
        await Store.DeleteAsync(id, Ct);

        var deleted = Assert.Single(Observer.Of(SessionEventKind.Deleted));
        Assert.Equal(id, deleted.SessionId);
        Assert.Equal("alice", deleted.Principal);
    }

    [Fact]
    public async Task Expiry_SeenByLoadCommitDeleteAndSweep_RaisesExpiredOnce()
    {
        var id = await CreateAsync();
        Time.Advance(Idle);

        await LoadAsync(id);
        await SetAsync(id, "a", "1");
        await Store.DeleteAsync(id, Ct);
        Time.Advance(InMemorySessionStore.SweepInterval);

        Assert.Single(Observer.Of(SessionEventKind.Expired));
        Assert.Empty(Observer.Of(SessionEventKind.Deleted));
    }

    [Fact]
    public async Task Delete_Expired_FalseAndRaisesExpiredNotDeleted()
    {
        var id = await CreateAsync();
        Time.Advance(Idle);

        Assert.False(await Store.DeleteAsync(id, Ct));

        Assert.Single(Observer.Of(SessionEventKind.Expired));
        Assert.Empty(Observer.Of(SessionEventKind.Deleted));
    }

    [Fact]
    public async Task Commit_ObserverThrows_CommitStillSucceeds()
    {
        using var store = new InMemorySessionStore(Time, new SessionEventPublisher([new ThrowingObserver(), Observer]));
        var now = Time.GetUtcNow();

        var result = await store.CommitAsync(new SessionChangeSet { SessionId = SessionIds.Create(), IsNew = true, Now = now, IdleTimeout = Idle, AbsoluteExpiry = now + Absolute }, Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Single(Observer.Of(SessionEventKind.Created));
    }

    private sealed class ThrowingObserver : ISessionLifecycleObserver
    {
        public ValueTask OnSessionEventAsync(SessionLifecycleEvent sessionEvent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("observer bug");
    }
}
