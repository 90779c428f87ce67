using System.Text;

namespace Stickless.Tests;

/// <summary>
/// The near cache's own rules, over the real in-memory store: hits, the bound on staleness, the races between a store
/// call and an invalidation, the channel going down and up, and the byte bound. The channel between the store and the
/// cache is a relay the test can cut or make lose messages (the Redis store's real channel is tested in Stickless.Redis.Tests).
/// </summary>
public sealed class NearCacheSessionStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemorySessionStore _memory;
    private readonly RelayedStore _relayed;
    private NearCacheSessionStore _cache = null!;

    public NearCacheSessionStoreTests()
    {
        _memory = new InMemorySessionStore(_time, SessionEventPublisher.None);
        _relayed = new RelayedStore(_memory);
    }

    public async Task InitializeAsync() => _cache = await StartCacheAsync(new NearCacheOptions { Enabled = true });

    public async Task DisposeAsync() => await _cache.StopAsync(CancellationToken.None);

    private SessionLoadOptions Options => new(_time.GetUtcNow(), TimeSpan.FromMinutes(2));

    [Fact]
    public async Task LoadAsync_WarmCopy_ServedWithoutAStoreCall()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);
        var loads = _relayed.Loads;

        var record = await _cache.LoadAsync(id, Options, default);

        Assert.Equal("1", Text(record!, "a"));
        Assert.Equal(loads, _relayed.Loads);
        Assert.True(_cache.TryGetCached(id, Options, out var cached));
        Assert.Same(record, cached);
    }

    [Fact]
    public async Task LoadAsync_ChangedThroughAnotherNode_TheInvalidationDropsTheCopy()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);

        await _memory.CommitAsync(Set(id, "a", "2"), default); // another node's commit

        Assert.Equal("2", Text((await _cache.LoadAsync(id, Options, default))!, "a"));
    }

    [Fact]
    public async Task LoadAsync_InvalidationWhileTheLoadIsInFlight_ItsAnswerIsNotCached()
    {
        var id = await CreateAsync(("a", "1"));
        _relayed.HoldLoads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = _cache.LoadAsync(id, Options, default).AsTask();
        await _relayed.LoadHeld.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The load has read the old state; then another node writes, and its invalidation arrives first.
        var old = await _memory.LoadAsync(id, new SessionLoadOptions(_time.GetUtcNow(), TimeSpan.MaxValue), default);
        _relayed.NextLoadAnswer = old;
        await _memory.CommitAsync(Set(id, "a", "2"), default);
        _relayed.HoldLoads.SetResult();
        _relayed.HoldLoads = null;

        Assert.Equal("1", Text((await load)!, "a")); // answered: it was read before the write
        Assert.Equal("2", Text((await _cache.LoadAsync(id, Options, default))!, "a")); // but never cached after it
    }

    [Fact]
    public async Task LoadAsync_ChannelDown_EveryCopyDroppedAndTheStoreReadUntilItIsBack()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);

        _relayed.Down();
        Assert.Equal(0, _cache.Statistics.Copies);
        var loads = _relayed.Loads;
        await _cache.LoadAsync(id, Options, default);
        await _cache.LoadAsync(id, Options, default);
        Assert.Equal(loads + 2, _relayed.Loads); // bypassed: not even cached

        _relayed.Up();
        await _cache.LoadAsync(id, Options, default);
        await _cache.LoadAsync(id, Options, default);
        Assert.Equal(loads + 3, _relayed.Loads);
    }

    [Fact]
    public async Task LoadAsync_BeganWhileTheChannelWasDown_NotCachedAfterItComesBack()
    {
        var id = await CreateAsync(("a", "1"));
        _relayed.Down();
        _relayed.HoldLoads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = _cache.LoadAsync(id, Options, default).AsTask();
        await _relayed.LoadHeld.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _relayed.Up();
        _relayed.HoldLoads.SetResult();
        _relayed.HoldLoads = null;
        await load;

        Assert.Equal(0, _cache.Statistics.Copies); // its answer may predate writes whose invalidations were lost
    }

    [Fact]
    public async Task LoadAsync_InvalidationLost_CopyServedNoLongerThanMaxStaleness()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);
        _relayed.LoseMessages = true; // the channel claims to be up, but drops what the store publishes

        await _memory.CommitAsync(Set(id, "a", "2"), default);
        Assert.Equal("1", Text((await _cache.LoadAsync(id, Options, default))!, "a"));
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal("1", Text((await _cache.LoadAsync(id, Options, default))!, "a"));

        _time.Advance(TimeSpan.FromSeconds(0.2)); // past MaxStaleness (2 s) since the store answered for the copy
        Assert.Equal("2", Text((await _cache.LoadAsync(id, Options, default))!, "a"));
    }

    [Fact]
    public async Task CommitAsync_CompareAndSetOnAStaleCopy_ConflictsAndNothingIsLost()
    {
        var id = await CreateAsync(("cart", "[1]"));
        await _cache.LoadAsync(id, Options, default);
        _relayed.LoseMessages = true;
        await _memory.CommitAsync(Set(id, "cart", "[1,2]"), default); // another node's add, its invalidation lost
        var stale = (await _cache.LoadAsync(id, Options, default))!.Attributes["cart"];

        var result = await _cache.CommitAsync(Set(id, "cart", "[1,3]", stale.Version), default);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        Assert.Equal("[1,2]", Encoding.UTF8.GetString(result.Conflicts["cart"]!.Value.Value.Span));
        Assert.Equal("[1,2]", Text((await _cache.LoadAsync(id, Options, default))!, "cart")); // the conflict dropped the copy
    }

    [Fact]
    public async Task CommitAsync_SessionDeletedMeanwhile_NotFoundAndNeverResurrected()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);
        _relayed.LoseMessages = true;
        await _memory.DeleteAsync(id, default); // a logout on another node, its invalidation lost

        var result = await _cache.CommitAsync(Set(id, "a", "2"), default);

        Assert.Equal(CommitStatus.NotFound, result.Status);
        Assert.Null(await _memory.LoadAsync(id, Options, default));
        Assert.Null(await _cache.LoadAsync(id, Options, default));
    }

    [Fact]
    public async Task CommitAsync_NextWriteAfterTheCopy_CopyFollowsWithTheStoresVersions()
    {
        var id = await CreateAsync(("a", "1"), ("n", "5"));
        await _cache.LoadAsync(id, Options, default);
        var loads = _relayed.Loads;

        var result = await _cache.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            Now = _time.GetUtcNow(),
            Touch = true,
            Attributes = new Dictionary<string, AttributeChange> { ["a"] = AttributeChange.Set(Encoding.UTF8.GetBytes("2")), ["n"] = AttributeChange.Increment(3) },
        }, default);
        var copy = await _cache.LoadAsync(id, Options, default);

        Assert.Equal(loads, _relayed.Loads);
        var stored = (await _memory.LoadAsync(id, Options, default))!;
        Assert.Equal(stored.Sequence, copy!.Sequence);
        Assert.Equal(result.Sequence, copy.Sequence);
        Assert.Equal(stored.LastAccessedAt, copy.LastAccessedAt);
        foreach (var (name, attribute) in stored.Attributes)
        {
            Assert.Equal(attribute.Version, copy.Attributes[name].Version);
            Assert.Equal(Encoding.UTF8.GetString(attribute.Value.Span), Text(copy, name));
        }
    }

    [Fact]
    public async Task CommitAsync_AnotherNodeWroteBetween_CopyDropped()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);
        _relayed.LoseMessages = true;
        await _memory.CommitAsync(Set(id, "b", "other node"), default);
        _relayed.LoseMessages = false;

        await _cache.CommitAsync(Set(id, "a", "2"), default); // two writes after the copy: it cannot be patched

        var record = await _cache.LoadAsync(id, Options, default);
        Assert.Equal("other node", Text(record!, "b"));
        Assert.Equal("2", Text(record!, "a"));
    }

    [Fact]
    public async Task LoadAsync_TouchDue_GoesToTheStore()
    {
        var id = await CreateAsync(("a", "1"));
        await _cache.LoadAsync(id, Options, default);
        var loads = _relayed.Loads;

        _time.Advance(TimeSpan.FromSeconds(1));
        var record = await _cache.LoadAsync(id, new SessionLoadOptions(_time.GetUtcNow(), TimeSpan.FromMilliseconds(500)), default);

        Assert.True(record!.Touched);
        Assert.Equal(loads + 1, _relayed.Loads);
    }

    [Fact]
    public async Task Insert_BeyondMaxBytes_LeastRecentlyUsedCopiesDropped()
    {
        await _cache.StopAsync(CancellationToken.None);
        _cache = await StartCacheAsync(new NearCacheOptions { Enabled = true, MaxBytes = 64 * 1024, MaxStaleness = TimeSpan.FromMinutes(10) });
        var value = new string('x', 8 * 1024);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await CreateAsync(("big", value)));
            await _cache.LoadAsync(ids[^1], Options, default);
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await _cache.LoadAsync(ids[0], Options, default); // the first stays in use
        }

        var statistics = _cache.Statistics;
        Assert.InRange(statistics.Bytes, 1, 64 * 1024);
        Assert.True(_cache.TryGetCached(ids[0], Options, out _));
        Assert.False(_cache.TryGetCached(ids[1], Options, out _));
        Assert.True(_cache.TryGetCached(ids[^1], Options, out _));
    }

    [Fact]
    public async Task Insert_SessionLargerThanTheBound_NeverCached()
    {
        await _cache.StopAsync(CancellationToken.None);
        _cache = await StartCacheAsync(new NearCacheOptions { Enabled = true, MaxBytes = 64 * 1024 });
        var id = await CreateAsync(("big", new string('x', 60 * 1024)), ("bigger", new string('y', 10 * 1024)));

        await _cache.LoadAsync(id, Options, default);

        Assert.Equal(0, _cache.Statistics.Copies);
    }

    [Fact]
    public void Constructor_StoreWithoutInvalidations_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NearCacheSessionStore(new PlainStore(_memory), new NearCacheOptions { Enabled = true }));
        Assert.Contains("publishes invalidations", ex.Message, StringComparison.Ordinal);
    }

    private async Task<NearCacheSessionStore> StartCacheAsync(NearCacheOptions options)
    {
        var cache = new NearCacheSessionStore(_relayed, options, _time);
        await cache.StartAsync(CancellationToken.None);
        return cache;
    }

    private async Task<string> CreateAsync(params (string Name, string Value)[] attributes)
    {
        var id = SessionIds.Create();
        var now = _time.GetUtcNow();
        var result = await _memory.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            IsNew = true,
            Now = now,
            IdleTimeout = Idle,
            AbsoluteExpiry = now + TimeSpan.FromHours(8),
            Attributes = attributes.ToDictionary(a => a.Name, a => AttributeChange.Set(Encoding.UTF8.GetBytes(a.Value))),
        }, default);
        Assert.Equal(CommitStatus.Committed, result.Status);
        return id;
    }

    private SessionChangeSet Set(string id, string name, string value, long? expectedVersion = null) => new()
    {
        SessionId = id,
        Now = _time.GetUtcNow(),
        Attributes = new Dictionary<string, AttributeChange> { [name] = AttributeChange.Set(Encoding.UTF8.GetBytes(value), expectedVersion) },
    };

    private static string Text(SessionRecord record, string name) => Encoding.UTF8.GetString(record.Attributes[name].Value.Span);

    /// <summary>
    /// The in-memory store with its invalidations relayed to the cache through a channel the test controls: cut (down),
    /// restored (up), or up but losing messages; its loads can be held and their answer replaced.
    /// </summary>
    private sealed class RelayedStore(InMemorySessionStore inner) : ISessionStore, ISessionStoreLifecycle, ISessionInvalidationSource, ISessionInvalidationListener
    {
        private ISessionInvalidationListener? _listener;
        private IDisposable? _upstream;
        private int _loads;

        public string Name => inner.Name;

        public int Loads => Volatile.Read(ref _loads);

        public TaskCompletionSource? HoldLoads { get; set; }

        public TaskCompletionSource LoadHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SessionRecord? NextLoadAnswer { get; set; }

        public bool LoseMessages { get; set; }

        public async ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loads);
            var record = await inner.LoadAsync(sessionId, options, cancellationToken);
            if (HoldLoads is { } hold)
            {
                LoadHeld.TrySetResult();
                await hold.Task;
                if (NextLoadAnswer is { } replaced)
                {
                    NextLoadAnswer = null;
                    return replaced;
                }
            }

            return record;
        }

        public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) => inner.CommitAsync(changes, cancellationToken);

        public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(sessionId, cancellationToken);

        public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) => inner.FindByPrincipalAsync(principal, cancellationToken);

        public ValueTask PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _upstream?.Dispose();
            _upstream = null;
            return Task.CompletedTask;
        }

        public IDisposable SubscribeInvalidations(ISessionInvalidationListener listener, TimeSpan silenceLimit)
        {
            _listener = listener;
            _upstream = inner.SubscribeInvalidations(this, silenceLimit);
            return new Unsubscriber(this);
        }

        public ValueTask SynchronizeInvalidationsAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Down() => _listener?.OnChannelDown();

        public void Up() => _listener?.OnChannelUp();

        void ISessionInvalidationListener.OnInvalidated(string sessionId, long sequence)
        {
            if (!LoseMessages)
            {
                _listener?.OnInvalidated(sessionId, sequence);
            }
        }

        void ISessionInvalidationListener.OnChannelUp() => _listener?.OnChannelUp();

        void ISessionInvalidationListener.OnChannelDown() => _listener?.OnChannelDown();

        private sealed class Unsubscriber(RelayedStore store) : IDisposable
        {
            public void Dispose()
            {
                store._upstream?.Dispose();
                store._upstream = null;
                store._listener = null;
            }
        }
    }

    /// <summary>A store that publishes no invalidations.</summary>
    private sealed class PlainStore(ISessionStore inner) : ISessionStore
    {
        public string Name => "Plain";

        public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken) => inner.LoadAsync(sessionId, options, cancellationToken);

        public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) => inner.CommitAsync(changes, cancellationToken);

        public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(sessionId, cancellationToken);

        public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) => inner.FindByPrincipalAsync(principal, cancellationToken);

        public ValueTask PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
    }
}
