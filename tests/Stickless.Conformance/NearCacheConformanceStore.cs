using System.Diagnostics;

namespace Stickless.Conformance;

/// <summary>
/// A store under the conformance suites with the near cache on: each app node is a <see cref="NearCacheSessionStore"/> of
/// its own over its own store instance (two caches, one set of servers), so a node reads its copies and hears the other
/// node's writes only through the store's invalidations.
/// </summary>
/// <remarks>
/// The near cache's contract is that a change made on one node is seen on another once its invalidation has arrived (the
/// store's publish delay, measured in the README), not at the instant the writing call returns. The suites were written
/// for a store without copies, where the next call on the other node sees the change; so after every call that writes
/// (a commit, a delete, a load that touched) each node here waits until the other node's cache has received everything
/// published so far (<see cref="NearCacheSessionStore.SynchronizeAsync"/>): the suites then check the rules as they
/// stand once that delay has passed. Nothing else is relaxed: reads come from the copies, and commits, conflicts,
/// deletes, expiry and round-trip counts are the suites' own.
/// </remarks>
public sealed class NearCacheConformanceStore : IConformanceStore
{
    private readonly IConformanceStore _inner;
    private readonly NearCacheSessionStore _a;
    private readonly NearCacheSessionStore _b;

    private NearCacheConformanceStore(IConformanceStore inner, NearCacheSessionStore a, NearCacheSessionStore b)
    {
        _inner = inner;
        _a = a;
        _b = b;
        NodeA = new SettlingStore(a, b);
        NodeB = new SettlingStore(b, a);
    }

    /// <inheritdoc />
    public ISessionStore NodeA { get; }

    /// <inheritdoc />
    public ISessionStore NodeB { get; }

    /// <summary>The first node's cache (for its statistics).</summary>
    public NearCacheSessionStore CacheA => _a;

    /// <summary>The second node's cache.</summary>
    public NearCacheSessionStore CacheB => _b;

    /// <inheritdoc />
    public IConformanceClock Clock => _inner.Clock;

    /// <inheritdoc />
    public int TouchWriteBehindRequests => _inner.TouchWriteBehindRequests;

    /// <summary>
    /// Puts a cache in front of each of <paramref name="inner"/>'s two nodes (which must be two instances of a store that
    /// publishes invalidations), starts them, and waits until both channels are proven.
    /// </summary>
    /// <param name="inner">The store without caches; disposed with this one.</param>
    /// <param name="time">The clock the caches judge staleness by (the suites' fake clock, or the system's).</param>
    /// <param name="maxStaleness">The caches' bound; default 2 s.</param>
    public static async Task<NearCacheConformanceStore> CreateAsync(IConformanceStore inner, TimeProvider time, TimeSpan? maxStaleness = null)
    {
        var options = new NearCacheOptions { Enabled = true, MaxStaleness = maxStaleness ?? TimeSpan.FromSeconds(2) };
        var a = new NearCacheSessionStore(inner.NodeA, options, time);
        var b = ReferenceEquals(inner.NodeA, inner.NodeB) ? null : new NearCacheSessionStore(inner.NodeB, options, time);
        if (b is null)
        {
            // One in-process store: two caches over the same instance still make two nodes with their own copies.
            b = new NearCacheSessionStore(inner.NodeA, options, time);
        }

        await Subscribe(a);
        await Subscribe(b);
        var watch = Stopwatch.StartNew();
        while (!(a.Statistics.ChannelUp && b.Statistics.ChannelUp))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("The near caches' invalidation channels did not come up within 30 s.");
            }

            // The source proves its channel on its own timer; there is nothing to await but its result.
            await Task.Delay(20);
        }

        return new NearCacheConformanceStore(inner, a, b);
    }

    /// <inheritdoc />
    public ValueTask<long> CountRoundTripsAsync(CancellationToken cancellationToken) => _inner.CountRoundTripsAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // The caches stop listening (and stop their stores' background work); the inner conformance store disposes the stores.
        await _a.StopAsync(CancellationToken.None);
        await _b.StopAsync(CancellationToken.None);
        await _inner.DisposeAsync();
    }

    // Starting a started store again does nothing; the cache subscribes to its invalidations.
    private static Task Subscribe(NearCacheSessionStore cache) => cache.StartAsync(CancellationToken.None);

    /// <summary>A node: its cache, and after every write a wait until the other node's cache has heard everything published.</summary>
    private sealed class SettlingStore(NearCacheSessionStore self, NearCacheSessionStore other) : ISessionStore
    {
        public string Name => self.Name;

        public async ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
        {
            var record = await self.LoadAsync(sessionId, options, cancellationToken);
            if (record is { Touched: true })
            {
                await SettleAsync(cancellationToken);
            }

            return record;
        }

        public async ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
        {
            var result = await self.CommitAsync(changes, cancellationToken);
            await SettleAsync(cancellationToken);
            return result;
        }

        public async ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
        {
            var deleted = await self.DeleteAsync(sessionId, cancellationToken);
            await SettleAsync(cancellationToken);
            return deleted;
        }

        public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) =>
            self.FindByPrincipalAsync(principal, cancellationToken);

        public ValueTask PingAsync(CancellationToken cancellationToken) => self.PingAsync(cancellationToken);

        private async Task SettleAsync(CancellationToken cancellationToken)
        {
            try
            {
                await other.SynchronizeAsync(cancellationToken);
            }
            catch (SessionStoreUnavailableException) when (!other.Statistics.ChannelUp)
            {
                // A channel that is down holds no copies and serves none until it is proven again: nothing to wait for.
            }
        }
    }
}
