namespace Stickless.Tests;

public sealed class InMemorySessionStoreExpiryTests : StoreTestBase
{
    [Fact]
    public async Task Load_JustBeforeIdleTimeout_Alive()
    {
        var id = await CreateAsync();
        Time.Advance(Idle - TimeSpan.FromTicks(1));

        Assert.NotNull(await LoadAsync(id));
    }

    [Fact]
    public async Task Load_AtIdleTimeout_NullAndExpiredOnce()
    {
        var id = await CreateAsync();
        Time.Advance(Idle);

        Assert.Null(await LoadAsync(id));
        Assert.Null(await LoadAsync(id));
        Assert.Single(Observer.Of(SessionEventKind.Expired));
    }

    [Fact]
    public async Task Commit_NewOnExpiredId_CreatesFreshSession()
    {
        var id = await CreateAsync(null, ("a", "old"));
        Time.Advance(Idle);
        var now = Time.GetUtcNow();

        var result = await Store.CommitAsync(new SessionChangeSet { SessionId = id, IsNew = true, Now = now, IdleTimeout = Idle, AbsoluteExpiry = now + Absolute }, Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Empty((await LoadAsync(id))!.Attributes);
    }

    [Fact]
    public async Task Sweep_TimerFires_RemovesExpiredSessionsAndRaisesExpiredOnceEach()
    {
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add(await CreateAsync());
        }

        Time.Advance(Idle + InMemorySessionStore.SweepInterval);

        Assert.Equal(0, Store.SessionCount);
        var expired = Observer.Of(SessionEventKind.Expired);
        Assert.Equal(100, expired.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), expired.Select(e => e.SessionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sweep_LiveAndDeadSessions_KeepsLiveOnes()
    {
        var old = await CreateAsync();
        Time.Advance(TimeSpan.FromMinutes(10));
        var young = await CreateAsync();

        Time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(1, Store.SessionCount);
        Assert.Null(await LoadAsync(old));
        Assert.NotNull(await LoadAsync(young));
    }

    [Fact]
    public async Task Sweep_ManyRounds_MemoryDoesNotGrow()
    {
        // Sessions created and abandoned over simulated hours leave nothing behind.
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 50; i++)
            {
                await CreateAsync("user" + (i % 5));
            }

            Time.Advance(TimeSpan.FromMinutes(7));
        }

        Time.Advance(Idle + InMemorySessionStore.SweepInterval);

        Assert.Equal(0, Store.SessionCount);
        Assert.Equal(0, Store.AliasCount);
        for (var u = 0; u < 5; u++)
        {
            Assert.Equal(0, Store.IndexedSessionCount("user" + u));
        }
    }

    [Fact]
    public async Task Dispose_Always_StopsTheSweepTimer()
    {
        await CreateAsync();
        Assert.Equal(1, Time.ActiveTimers);

        Store.Dispose();

        Assert.Equal(0, Time.ActiveTimers);
    }
}
