using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// The invalidation channel on a real redis-server: every write of a session, made by any store instance, reaches the
/// listeners of every other instance with the session's write counter; the channel is proven by probes, goes down when
/// the server freezes or something unreadable is published, and comes back; and how long a logout stays unseen.
/// </summary>
public sealed class RedisInvalidationIntegrationTests(RedisStoreServer server, ITestOutputHelper output) : IClassFixture<RedisStoreServer>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(500);
    private readonly RecordingListener _heard = new();
    private RedisSessionStore _writer = null!;
    private RedisSessionStore _reader = null!;
    private IDisposable _subscription = null!;

    public async Task InitializeAsync()
    {
        _writer = server.CreateStore();
        _reader = server.CreateStore();
        _subscription = _reader.SubscribeInvalidations(_heard, Silence);
        Assert.True(await _heard.Up.Task.WaitAsync(Wait).ContinueWith(t => t.IsCompletedSuccessfully), "the channel never came up");
    }

    public async Task DisposeAsync()
    {
        _subscription.Dispose();
        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
    }

    [Fact]
    public async Task Writes_OnAnotherInstance_HeardWithTheSessionsWriteCounter()
    {
        var id = SessionIds.Create();
        await _writer.CommitAsync(Create(id, attributes: [("a", "1")]), default);
        var loaded = await _writer.LoadAsync(id, NoTouch, default);
        Assert.Equal(1, loaded!.Sequence);

        var committed = await _writer.CommitAsync(Set(id, "a", "2"), default);
        Assert.Equal(2, committed.Sequence);
        Assert.True(await _heard.WaitForAsync(id, 2, Wait));

        var touched = await _writer.LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.Zero), default);
        Assert.True(touched!.Touched);
        Assert.Equal(3, touched.Sequence);
        Assert.True(await _heard.WaitForAsync(id, 3, Wait));

        Assert.True(await _writer.DeleteAsync(id, default));
        Assert.True(await _heard.WaitForAsync(id, SessionInvalidation.Dead, Wait));
    }

    [Fact]
    public async Task Rotation_TheOldIdHeardDead()
    {
        var id = SessionIds.Create();
        await _writer.CommitAsync(Create(id, attributes: [("a", "1")]), default);

        var rotated = await _writer.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = SessionIds.Create() }, default);

        Assert.Equal(CommitStatus.Committed, rotated.Status);
        Assert.True(await _heard.WaitForAsync(id, SessionInvalidation.Dead, Wait));
    }

    [Fact]
    public async Task Synchronize_AfterAWrite_TheWritesInvalidationAlreadyHeard()
    {
        var id = SessionIds.Create();
        await _writer.CommitAsync(Create(id), default);
        for (var i = 0; i < 20; i++)
        {
            var result = await _writer.CommitAsync(Set(id, "a", i.ToString(CultureInfo.InvariantCulture)), default);

            await _reader.SynchronizeInvalidationsAsync(default);

            Assert.True(_heard.Has(id, result.Sequence!.Value), $"write {i} not heard at the barrier");
        }
    }

    [Fact]
    public async Task ServerFrozen_ChannelDownWithinTheSilenceLimit_UpAgainAfterwards()
    {
        var downs = _heard.Downs;
        var watch = Stopwatch.StartNew();
        server.Server.Pause(); // runs kill(1): on a loaded machine starting it takes a moment of its own
        var frozenAfter = watch.ElapsedMilliseconds;
        int ups;
        try
        {
            Assert.True(await _heard.WaitForDownAsync(downs, Wait), "the channel was never declared down");
            output.WriteLine($"declared down {watch.ElapsedMilliseconds} ms after kill -STOP was started ({frozenAfter} ms to run it; silence limit {Silence.TotalMilliseconds} ms)");
        }
        finally
        {
            // Counted before the server resumes: no probe can come back while it is frozen, and the channel may be up
            // again before the line after Resume runs (counting there waited for a second "up" that never came).
            ups = _heard.Ups;
            server.Server.Resume();
        }

        Assert.True(await _heard.WaitForUpAsync(ups, TimeSpan.FromSeconds(30)), "the channel never came back");
    }

    [Fact]
    public async Task MalformedMessage_ChannelDownThenUp()
    {
        var downs = _heard.Downs;
        var ups = _heard.Ups;

        await server.CliAsync("PUBLISH", "stickless:invalidations", "not|an-invalidation");

        Assert.True(await _heard.WaitForDownAsync(downs, Wait));
        Assert.True(await _heard.WaitForUpAsync(ups, Wait));
    }

    [Fact]
    public void Subscribe_StoreThatPublishesNoInvalidations_Refused()
    {
        using var quiet = server.CreateStore(o => o.PublishInvalidations = false);

        Assert.Throws<InvalidOperationException>(() => quiet.SubscribeInvalidations(new RecordingListener(), Silence));
    }

    [Fact]
    public async Task Logout_OnOneNode_UnseenOnAnotherForAtMostTheInvalidationDelay()
    {
        // Two nodes with near caches. Node B holds a warm copy of a signed-in session; node A deletes it (a logout). The
        // delay is from the delete's answer on A to the moment B stops serving its copy.
        await using var nodeA = new NearCacheSessionStore(server.CreateStore(), new NearCacheOptions { Enabled = true });
        await using var nodeB = new NearCacheSessionStore(server.CreateStore(), new NearCacheOptions { Enabled = true });
        await nodeA.StartAsync(default);
        await nodeB.StartAsync(default);
        Assert.True(await EventuallyAsync(() => Task.FromResult(nodeA.Statistics.ChannelUp && nodeB.Statistics.ChannelUp), Wait));
        var delays = new List<double>();
        var options = new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2));
        for (var i = 0; i < 200; i++)
        {
            var id = SessionIds.Create();
            await nodeA.CommitAsync(Create(id, principal: "jane"), default);
            await nodeB.LoadAsync(id, options, default);
            if (!nodeB.TryGetCached(id, options, out _))
            {
                continue; // the channel flapped on a loaded machine: no copy to measure
            }

            Assert.True(await nodeA.DeleteAsync(id, default));
            var deleted = Stopwatch.GetTimestamp();
            while (nodeB.TryGetCached(id, options, out _))
            {
                Assert.True(Stopwatch.GetElapsedTime(deleted) < TimeSpan.FromSeconds(3), "a copy outlived MaxStaleness");
                await Task.Yield();
            }

            delays.Add(Stopwatch.GetElapsedTime(deleted).TotalMilliseconds);
        }

        delays.Sort();
        Assert.True(delays.Count >= 100, $"only {delays.Count} measurements");
        var p50 = delays[delays.Count / 2];
        var p99 = delays[(int)Math.Ceiling(delays.Count * 0.99) - 1];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logout unseen on the other node after the delete answered: n={delays.Count}, p50 {p50:0.000} ms, p99 {p99:0.000} ms, max {delays[^1]:0.000} ms"));
        Assert.True(delays[^1] < 2000, "a copy outlived MaxStaleness");
    }

    /// <summary>Records what a source delivers.</summary>
    private sealed class RecordingListener : ISessionInvalidationListener
    {
        private readonly ConcurrentDictionary<string, long> _highest = new(StringComparer.Ordinal);
        private int _downs;
        private int _ups;

        public TaskCompletionSource Up { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Downs => Volatile.Read(ref _downs);

        public int Ups => Volatile.Read(ref _ups);

        public void OnInvalidated(string sessionId, long sequence) => _highest.AddOrUpdate(sessionId, sequence, (_, seen) => Math.Max(seen, sequence));

        public void OnChannelUp()
        {
            Interlocked.Increment(ref _ups);
            Up.TrySetResult();
        }

        public void OnChannelDown() => Interlocked.Increment(ref _downs);

        public bool Has(string sessionId, long sequence) => _highest.TryGetValue(sessionId, out var seen) && seen >= sequence;

        public Task<bool> WaitForAsync(string sessionId, long sequence, TimeSpan timeout) =>
            EventuallyAsync(() => Task.FromResult(Has(sessionId, sequence)), timeout);

        public Task<bool> WaitForDownAsync(int before, TimeSpan timeout) => EventuallyAsync(() => Task.FromResult(Downs > before), timeout);

        public Task<bool> WaitForUpAsync(int before, TimeSpan timeout) => EventuallyAsync(() => Task.FromResult(Ups > before), timeout);
    }
}
