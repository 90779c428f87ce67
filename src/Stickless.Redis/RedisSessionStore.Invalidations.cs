using StackExchange.Redis;

namespace Stickless.Redis;

// The store as an invalidation source for near caches (Stickless.NearCacheSessionStore): its scripts publish every write
// of a session on <prefix>invalidations (RedisSessionStoreOptions.PublishInvalidations), and RedisInvalidationFeed
// listens, proving its subscription with probes. See Scripts/README.md and the README's "Near cache".
public sealed partial class RedisSessionStore : ISessionInvalidationSource
{
    private RedisInvalidationFeed? _feed;

    /// <summary>The invalidation channel as the scripts' argument: '' when the store publishes none.</summary>
    private RedisValue InvalidationChannelArg => _options.PublishInvalidations ? (RedisValue)_keys.InvalidationChannelName : RedisArgs.Empty;

    /// <inheritdoc />
    /// <remarks>
    /// The first listener starts the subscription to <c>&lt;prefix&gt;invalidations</c> and its probes (a marker published
    /// every half <paramref name="silenceLimit"/>); the channel is up once a probe comes back, and down when none came back
    /// within <paramref name="silenceLimit"/>, when a connection fails or when a message cannot be read.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><see cref="RedisSessionStoreOptions.PublishInvalidations"/> is off.</exception>
    public IDisposable SubscribeInvalidations(ISessionInvalidationListener listener, TimeSpan silenceLimit)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (!_options.PublishInvalidations)
        {
            throw new InvalidOperationException($"The Redis store does not publish invalidations ({nameof(RedisSessionStoreOptions)}.{nameof(RedisSessionStoreOptions.PublishInvalidations)} is false): a near cache over it could never tell when its copies are stale.");
        }

        if (silenceLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(silenceLimit), silenceLimit, "The silence limit must be positive.");
        }

        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            _feed ??= new RedisInvalidationFeed(_connection, _keys, _options.OperationTimeout, _timeProvider, _logger);
            return _feed.Add(listener, silenceLimit);
        }
    }

    /// <inheritdoc />
    /// <remarks>Publishes a marker on every master and waits for all of them on this store's subscription, within <see cref="RedisSessionStoreOptions.OperationTimeout"/>.</remarks>
    public ValueTask SynchronizeInvalidationsAsync(CancellationToken cancellationToken) =>
        _feed is { } feed
            ? feed.SynchronizeAsync(cancellationToken)
            : ValueTask.FromException(new SessionStoreUnavailableException("The Redis store has no invalidation listener: nothing subscribes to its channel."));

    /// <summary>True while the invalidation channel is proven (for tests).</summary>
    internal bool InvalidationsUp => _feed?.IsUp == true;

    private void StopInvalidations()
    {
        RedisInvalidationFeed? feed;
        lock (_lifecycle)
        {
            feed = _feed;
            _feed = null;
        }

        feed?.Dispose();
    }
}
