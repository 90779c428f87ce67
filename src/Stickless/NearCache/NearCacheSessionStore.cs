using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stickless;

/// <summary>
/// The near cache: a decorator over a store that publishes invalidations (<see cref="ISessionInvalidationSource"/>), which
/// keeps copies of recently used sessions in this node's memory. A load of a fresh copy makes no store call; a commit
/// is the store's one call, and the copy follows it; every change any node makes invalidates the copies.
/// </summary>
/// <remarks>
/// <para>
/// <b>What a copy may lag behind.</b> A copy is served only while (1) the invalidation channel is up: the source has
/// proven it delivers, and every write since then reaches this node (<see cref="ISessionInvalidationListener"/>); when it
/// goes down every copy is dropped and loads go to the store until it is proven again; (2) the store answered for it less
/// than <see cref="NearCacheOptions.MaxStaleness"/> ago; (3) the caller's touch is not due (the store moves the expiry);
/// (4) the session has not expired by the caller's clock. So a change made on another node (a logout) is seen here once
/// its invalidation arrives, and never later than <see cref="NearCacheOptions.MaxStaleness"/> after it, whatever happens
/// to the channel.
/// </para>
/// <para>
/// <b>Never a stale copy from a race.</b> Each store call registers its session id before it is sent; an invalidation that
/// arrives while it is in flight raises the bar its answer must reach (the session's write counter,
/// <see cref="SessionRecord.Sequence"/>), and a channel that went down or up meanwhile voids it. So an answer read before
/// a change is never cached after the change's invalidation was processed.
/// </para>
/// <para>
/// <b>Writes.</b> A commit goes to the store as it is: compare-and-set against the versions the request read, so a stale
/// copy costs a conflict and a retry, never a lost update; and the store refuses to write a deleted session, so a stale
/// copy never resurrects one. When the store answers that the commit was the session's very next write (its counter one
/// more than the copy's), the copy is updated with what was committed, so the writing node's next request is a hit;
/// otherwise the copy is dropped.
/// </para>
/// <para>
/// Copies are bounded in bytes (<see cref="NearCacheOptions.MaxBytes"/>, least recently used dropped first). Grace
/// aliases, new sessions and rotated ones are not cached (their next load fills the copy).
/// </para>
/// </remarks>
public sealed partial class NearCacheSessionStore : ISessionStore, ISessionStoreLifecycle, IAsyncDisposable, IDisposable
{
    private readonly ISessionStore _inner;
    private readonly ISessionInvalidationSource _source;
    private readonly NearCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NearCacheMetrics _metrics;
    private readonly ConcurrentDictionary<string, NearCacheEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NearCachePending> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lifecycle = new();
    private IDisposable? _subscription;
    private int _disposed;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The store; it must implement <see cref="ISessionInvalidationSource"/>.</param>
    /// <param name="options">The cache's bounds; validated here.</param>
    /// <param name="timeProvider">Staleness and expiry; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="logger">Channel up and down, trims; none by default.</param>
    /// <param name="meterFactory">Creates the meter <c>Stickless</c>; a shared meter by default.</param>
    /// <exception cref="ArgumentException">The store publishes no invalidations, or the options are invalid.</exception>
    public NearCacheSessionStore(ISessionStore inner, NearCacheOptions options, TimeProvider? timeProvider = null, ILogger<NearCacheSessionStore>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _source = inner as ISessionInvalidationSource
            ?? throw new ArgumentException($"The near cache needs a store that publishes invalidations ({nameof(ISessionInvalidationSource)}); the {inner.Name} store does not.", nameof(inner));
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid near cache options: " + string.Join(" ", errors), nameof(options));
        }

        _inner = inner;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = new NearCacheMetrics(meterFactory, () => Interlocked.Read(ref _bytes), () => _entries.Count, () => _up ? 1 : 0);
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <summary>The store the copies are of.</summary>
    public ISessionStore Inner => _inner;

    /// <summary>What the cache holds and has done so far (for diagnostics and tests).</summary>
    public NearCacheStatistics Statistics => new(
        _entries.Count,
        Interlocked.Read(ref _bytes),
        _up,
        Interlocked.Read(ref _hits),
        Interlocked.Read(ref _misses),
        Interlocked.Read(ref _invalidations));

    /// <summary>
    /// Serves a fresh copy without any store call: true with the copy, or false when the cache has none it may serve (then
    /// <see cref="LoadAsync"/> reads the store). For callers that want to skip their own per-call work on a hit.
    /// </summary>
    public bool TryGetCached(string sessionId, SessionLoadOptions options, out SessionRecord? record)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (Lookup(sessionId, options, out record) == NearCacheLookup.Hit)
        {
            Interlocked.Increment(ref _hits);
            _metrics.Lookup(NearCacheLookup.Hit);
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    /// <remarks>A fresh copy is answered at once; anything else is one store call, whose answer becomes the copy.</remarks>
    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        var found = Lookup(sessionId, options, out var record);
        _metrics.Lookup(found);
        if (found == NearCacheLookup.Hit)
        {
            Interlocked.Increment(ref _hits);
            return new ValueTask<SessionRecord?>(record);
        }

        Interlocked.Increment(ref _misses);
        return LoadFromStoreAsync(sessionId, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The store's one call. When it answers that this commit was the session's next write after the copy, the copy
    /// becomes what was committed; otherwise (a conflict, the session gone, another node's write in between) the copy is
    /// dropped.
    /// </remarks>
    public async ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsNew)
        {
            // Nobody holds a copy of an id that did not exist; the session's first load fills one.
            return await _inner.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
        }

        var id = changes.SessionId;
        var ticket = Begin(id);
        _entries.TryGetValue(id, out var before);
        CommitResult result;
        try
        {
            result = await _inner.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Outcome unknown: the copy may or may not hold the change.
            End(ticket, null);
            Evict(id, SessionInvalidation.Dead, "invalidated");
            throw;
        }

        switch (result.Status)
        {
            case CommitStatus.Committed when changes.NewSessionId is null:
                var after = before is not null && result.Sequence == before.Sequence + 1 ? Fold(before.Record, changes, result) : null;
                End(ticket, after);
                if (after is null)
                {
                    Evict(id, result.Sequence ?? SessionInvalidation.Dead, "invalidated");
                }

                break;
            case CommitStatus.Committed:
            case CommitStatus.NotFound:
                // Renamed away or gone: the old id is dead, whatever answer is still in flight for it.
                Invalidate(id, SessionInvalidation.Dead);
                End(ticket, null);
                break;
            default:
                // A conflict means the copy is behind the store: the next load reads it again.
                End(ticket, null);
                Evict(id, SessionInvalidation.Dead, "invalidated");
                break;
        }

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        try
        {
            return await _inner.DeleteAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whether or not the delete was confirmed, this node must not serve the session from memory any more.
            Invalidate(sessionId, SessionInvalidation.Dead);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) =>
        _inner.FindByPrincipalAsync(principal, cancellationToken);

    /// <inheritdoc />
    public ValueTask PingAsync(CancellationToken cancellationToken) => _inner.PingAsync(cancellationToken);

    /// <summary>
    /// Completes once every invalidation published before the call has reached this cache (see
    /// <see cref="ISessionInvalidationSource.SynchronizeInvalidationsAsync"/>): after it, a change made through another node
    /// before the call is seen here.
    /// </summary>
    public ValueTask SynchronizeAsync(CancellationToken cancellationToken) => _source.SynchronizeInvalidationsAsync(cancellationToken);

    /// <summary>Starts the store's background work, then listens to its invalidations (copies are served once the channel is proven).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_inner is ISessionStoreLifecycle lifecycle)
        {
            await lifecycle.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            _subscription ??= _source.SubscribeInvalidations(new Listener(this), _options.SilenceLimit);
        }
    }

    /// <summary>Stops listening (and flushes every copy), then stops the store's background work.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        if (_inner is ISessionStoreLifecycle lifecycle)
        {
            await lifecycle.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and disposes the store when it is disposable.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Unsubscribe();
        switch (_inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>Stops listening and disposes the store when it is disposable.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask<SessionRecord?> LoadFromStoreAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        var ticket = Begin(sessionId);
        SessionRecord? record;
        try
        {
            record = await _inner.LoadAsync(sessionId, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            End(ticket, null);
            throw;
        }

        if (record is null)
        {
            End(ticket, null);
            Evict(sessionId, SessionInvalidation.Dead, "invalidated");
        }
        else
        {
            // A grace alias is served under its new id: not a copy of the id that was asked for.
            End(ticket, record.IsGraceAlias || !string.Equals(record.Id, sessionId, StringComparison.Ordinal) ? null : record);
        }

        return record;
    }

    private void Unsubscribe()
    {
        IDisposable? subscription;
        lock (_lifecycle)
        {
            subscription = _subscription;
            _subscription = null;
        }

        subscription?.Dispose();
        ChannelDown(log: false);
    }

    /// <summary>What the source calls: forwarded to the cache (kept apart so the cache's public surface is not a listener).</summary>
    private sealed class Listener(NearCacheSessionStore cache) : ISessionInvalidationListener
    {
        public void OnInvalidated(string sessionId, long sequence)
        {
            Interlocked.Increment(ref cache._invalidations);
            cache._metrics.Invalidated();
            cache.Invalidate(sessionId, sequence);
        }

        public void OnChannelUp() => cache.ChannelUp();

        public void OnChannelDown() => cache.ChannelDown(log: true);
    }
}
