using System.Text;
using Stickless.Memcached.Connections;
using Stickless.Memcached.Tests.Infrastructure;

namespace Stickless.Memcached.Tests.Store;

/// <summary>What losing, freezing and restarting one of three memcached nodes costs, with and without backups.</summary>
public sealed class MemcachedNodeFailureIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromMinutes(2));
    private MemcachedCluster _cluster = new();

    public async Task InitializeAsync()
    {
        _cluster = new MemcachedCluster();
        await _cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _bound.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KillOneNode_ThenLoadEverySession_LosesItsShareWithoutBackupAndNothingWithBackup(bool backup)
    {
        await using var store = CreateStore(backup, presumeLostAfter: TimeSpan.FromMilliseconds(200));
        var ids = await CreateSessionsAsync(store, 90);
        var onVictim = await _cluster.Servers[1].ItemCountAsync();

        await _cluster.Servers[1].KillAsync();
        await LoadAllTolerantlyAsync(store, ids);
        await Task.Delay(300);
        var lost = 0;
        foreach (var id in ids)
        {
            var record = await store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), _bound.Token);
            if (record is null)
            {
                lost++;
            }
            else
            {
                Assert.Equal(id, Encoding.UTF8.GetString(record.Attributes["owner"].Value.Span));
            }
        }

        if (backup)
        {
            Assert.Equal(0, lost);
        }
        else
        {
            // Exactly the sessions the dead node held, about a third.
            Assert.Equal(onVictim, lost);
            Assert.InRange(lost, 90 / 6, 90 * 2 / 3);
        }
    }

    [Fact]
    public async Task RestartPrimaryEmpty_WithBackup_SessionsServedFromBackupAndCopiedBack()
    {
        await using var store = CreateStore(backup: true, presumeLostAfter: TimeSpan.FromSeconds(3));
        var ids = await CreateSessionsAsync(store, 60);
        var victim = _cluster.Servers[1];

        await victim.KillAsync();
        await victim.RestartAsync();
        await LoadAllTolerantlyAsync(store, ids);

        // Every session is back, and the restarted node holds its share again (copied back from the backups).
        foreach (var id in ids)
        {
            Assert.NotNull(await store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), _bound.Token));
        }

        Assert.True(await victim.ItemCountAsync() > 0);
        Assert.Equal([0L, 0L, 0L], store.NodeFlushes);
    }

    [Fact]
    public async Task DeleteWhilePrimaryIsDown_ThenItReturns_TheSessionNeverComesBack()
    {
        await using var store = CreateStore(backup: true, presumeLostAfter: TimeSpan.FromSeconds(3));
        var ids = await CreateSessionsAsync(store, 60);
        var victim = _cluster.Servers[1];
        victim.Pause();
        try
        {
            await LoadAllTolerantlyAsync(store, ids);
            foreach (var id in ids)
            {
                await Retry(() => store.DeleteAsync(id, _bound.Token).AsTask());
            }
        }
        finally
        {
            victim.Resume();
        }

        // The returning node still holds its old copies: it must be flushed before it serves anything.
        await WaitAsync(() => store.NodeStates.All(s => s != MemcachedNodeState.Down), store, ids[0]);
        foreach (var id in ids)
        {
            Assert.Null(await store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), _bound.Token));
        }

        Assert.Equal(1, store.NodeFlushes[1]);
    }

    [Fact]
    public async Task PauseWithoutWritesElsewhere_NodeReturnsWithoutFlushAndKeepsItsSessions()
    {
        await using var store = CreateStore(backup: false, presumeLostAfter: TimeSpan.FromSeconds(30));
        var ids = await CreateSessionsAsync(store, 30);
        _cluster.Servers[1].Pause();
        try
        {
            await LoadAllTolerantlyAsync(store, ids);
        }
        finally
        {
            _cluster.Servers[1].Resume();
        }

        await WaitAsync(() => store.NodeStates.All(s => s != MemcachedNodeState.Down), store, ids[0]);
        foreach (var id in ids)
        {
            Assert.NotNull(await Retry(() => store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), _bound.Token).AsTask()));
        }

        Assert.Equal([0L, 0L, 0L], store.NodeFlushes);
    }

    private MemcachedSessionStore CreateStore(bool backup, TimeSpan presumeLostAfter) => new(new MemcachedSessionStoreOptions
    {
        Servers = _cluster.Addresses,
        Backup = backup,
        HashKey = MemcachedConformanceStore.TestHashKey,
        // Generous for a loaded machine: a killed node refuses at once, and only the freeze tests wait these out.
        OperationTimeout = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ProbeInterval = TimeSpan.FromMilliseconds(100),
        PresumeLostAfter = presumeLostAfter,
    });

    private async Task<List<string>> CreateSessionsAsync(MemcachedSessionStore store, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = SessionIds.Create();
            var now = DateTimeOffset.UtcNow;
            var result = await store.CommitAsync(new SessionChangeSet
            {
                SessionId = id,
                IsNew = true,
                Now = now,
                IdleTimeout = Idle,
                AbsoluteExpiry = now + TimeSpan.FromHours(1),
                Attributes = new Dictionary<string, AttributeChange> { ["owner"] = AttributeChange.Set(Encoding.UTF8.GetBytes(id)) },
            }, _bound.Token);
            Assert.Equal(CommitStatus.Committed, result.Status);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Loads every session once, ignoring failures: the store notices the node's state on the way.</summary>
    private async Task LoadAllTolerantlyAsync(MemcachedSessionStore store, List<string> ids)
    {
        foreach (var id in ids)
        {
            try
            {
                await store.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), _bound.Token);
            }
            catch (SessionStoreUnavailableException)
            {
            }
        }
    }

    private async Task<T> Retry<T>(Func<Task<T>> call)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (SessionStoreUnavailableException) when (!_bound.IsCancellationRequested)
            {
                await Task.Delay(50);
            }
        }
    }

    private async Task WaitAsync(Func<bool> condition, MemcachedSessionStore store, string anyId)
    {
        while (!condition())
        {
            _bound.Token.ThrowIfCancellationRequested();
            try
            {
                await store.LoadAsync(anyId, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), _bound.Token);
            }
            catch (SessionStoreUnavailableException)
            {
            }

            await store.PingAsync(_bound.Token).AsTask().ContinueWith(_ => { });
            await Task.Delay(50);
        }
    }
}
