using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Stickless.Redis.Connection;

namespace Stickless.Redis;

/// <summary>
/// The store's side of the invalidation channel: one subscription to <c>&lt;prefix&gt;invalidations</c> (on the
/// master), whose messages it hands to the near caches listening (<see cref="ISessionInvalidationListener"/>), and a
/// proof that the subscription works.
/// </summary>
/// <remarks>
/// <para>
/// StackExchange.Redis has no client-side caching (no <c>CLIENT TRACKING</c>), so the store's scripts publish every write
/// of a session themselves, and this feed listens. Messages are processed one at a time, in the order the server sent
/// them (a <see cref="ChannelMessageQueue"/>).
/// </para>
/// <para>
/// <b>Proof.</b> Pub/sub is at most once: a message published while the subscription is not there is lost without a
/// trace. So the channel is "up" only while this feed keeps receiving its own probes: every half silence limit it
/// publishes a marker on the channel; receiving it proves that everything published before it was delivered. The channel
/// goes down (listeners flush) when no probe came back within the silence limit, when a connection of the multiplexer
/// fails, when a malformed message arrives (something was published that cannot be read), or when the store's link was
/// replaced; it comes up again with the next probe received on a working subscription.
/// </para>
/// <para>
/// In Redis Cluster the scripts' PUBLISH reaches every node over the cluster bus, so one subscription hears every shard
/// (sharded pub/sub cannot serve here: a script may only SPUBLISH to a channel in its own slot, which would be one
/// channel per session, and SSUBSCRIBE takes no pattern). A barrier publishes a marker on every master, so that it
/// travels behind what each master published before.
/// </para>
/// </remarks>
internal sealed partial class RedisInvalidationFeed : IDisposable
{
    private readonly RedisConnection _connection;
    private readonly RedisSessionKeys _keys;
    private readonly TimeSpan _operationTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _markerPrefix = RedisInvalidationMessage.MarkerPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ":";
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private ISessionInvalidationListener[] _listeners = [];
    private TaskCompletionSource _nextDown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _silenceLimit = TimeSpan.MaxValue;
    private ITimer? _timer;
    private ChannelMessageQueue? _queue;
    private RedisLink? _subscribedOn;
    private IConnectionMultiplexer? _watched;
    private long _subscribedAt;
    private long _lastProof;
    private long _markers;
    private volatile bool _up;
    private int _ticking;
    private int _disposed;

    public RedisInvalidationFeed(RedisConnection connection, RedisSessionKeys keys, TimeSpan operationTimeout, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _keys = keys;
        _operationTimeout = operationTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>True while the channel is proven (copies may be served).</summary>
    public bool IsUp => _up;

    /// <summary>Adds a listener; the first one starts the subscription and the probes (every half of the smallest silence limit).</summary>
    public IDisposable Add(ISessionInvalidationListener listener, TimeSpan silenceLimit)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        lock (_sync)
        {
            _listeners = [.. _listeners, listener];
            if (silenceLimit < _silenceLimit)
            {
                _silenceLimit = silenceLimit;
                var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(20).Ticks, silenceLimit.Ticks / 2));
                _timer?.Dispose();
                _timer = _time.CreateTimer(static state => ((RedisInvalidationFeed)state!).OnTick(), this, TimeSpan.Zero, every);
            }
        }

        return new Registration(this, listener);
    }

    /// <summary>
    /// Completes once every invalidation published on any master before the call has been delivered: publishes a marker on
    /// every master and waits for all of them.
    /// </summary>
    /// <remarks>
    /// A channel that goes down meanwhile also ends the wait: its listeners dropped every copy, so nothing published before
    /// the call can be missing from what they serve.
    /// </remarks>
    public async ValueTask SynchronizeAsync(CancellationToken cancellationToken)
    {
        var down = Volatile.Read(ref _nextDown).Task;
        if (!_up)
        {
            throw new SessionStoreUnavailableException("The Redis invalidation channel is down: invalidations cannot be awaited.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_operationTimeout);
        var link = await _connection.GetAsync(timeout.Token).ConfigureAwait(false);
        var masters = Array.FindAll(link.Multiplexer.GetServers(), static s => s.IsConnected && !s.IsReplica && s.ServerType != ServerType.Sentinel);
        if (masters.Length == 0)
        {
            throw new SessionStoreUnavailableException("No Redis master is connected: invalidations cannot be awaited.");
        }

        var waits = new List<Task>(masters.Length);
        var markers = new List<string>(masters.Length);
        try
        {
            foreach (var master in masters)
            {
                var marker = NextMarker();
                var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _awaited[marker] = arrived;
                markers.Add(marker);
                await master.ExecuteAsync("PUBLISH", [_keys.InvalidationChannelName, marker]).WaitAsync(timeout.Token).ConfigureAwait(false);
                waits.Add(arrived.Task);
            }

            await Task.WhenAny(Task.WhenAll(waits), down).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new SessionStoreUnavailableException($"The Redis invalidation channel did not deliver a marker within {_operationTimeout.TotalMilliseconds:0} ms.", ex);
        }
        finally
        {
            foreach (var marker in markers)
            {
                _awaited.TryRemove(marker, out _);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        ChannelMessageQueue? queue;
        lock (_sync)
        {
            _timer?.Dispose();
            _timer = null;
            queue = _queue;
            _queue = null;
            _subscribedOn = null;
            Unwatch();
        }

        Down(reason: null);
        if (queue is not null)
        {
            // Only this queue: on the application's multiplexer others may listen to the same channel.
            _ = queue.UnsubscribeAsync(CommandFlags.FireAndForget);
        }
    }

    private void Remove(ISessionInvalidationListener listener)
    {
        lock (_sync)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private void OnTick()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        // Checked on every tick, even while an earlier probe still waits for a frozen server.
        if (_up && _time.GetElapsedTime(Interlocked.Read(ref _lastProof)) > _silenceLimit)
        {
            LogChannelSilent(_logger, _keys.InvalidationChannelName, _silenceLimit);
            Down(reason: "silent");
        }

        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        _ = TickAsync();
    }

    private async Task TickAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_operationTimeout, _time);
            var link = await _connection.GetAsync(timeout.Token).ConfigureAwait(false);

            // A new link, or a subscription that has proven nothing for a long while (a server that lost it without the
            // connection failing): subscribe afresh. Messages between the two subscriptions may be lost, so it is down.
            var stuck = !_up && _queue is not null && _time.GetElapsedTime(Interlocked.Read(ref _subscribedAt)) > _silenceLimit * 8;
            if (_queue is null || !ReferenceEquals(_subscribedOn, link) || stuck)
            {
                await SubscribeAsync(link, timeout.Token).ConfigureAwait(false);
            }

            // A probe that does not come back within the silence limit proves nothing anyway: the next tick sends another.
            await link.Multiplexer.GetSubscriber().PublishAsync(_keys.InvalidationChannel, NextMarker(), CommandFlags.DemandMaster).WaitAsync(_silenceLimit, _time, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException or SessionStoreUnavailableException)
        {
            // No proof this round; the silence check says so if it lasts.
            LogProbeFailed(_logger, _keys.InvalidationChannelName, ex);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private async Task SubscribeAsync(RedisLink link, CancellationToken cancellationToken)
    {
        Down(reason: _queue is null ? null : "resubscribed");
        var old = _queue;
        _queue = null;
        if (old is not null)
        {
            try
            {
                await old.UnsubscribeAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or OperationCanceledException or ObjectDisposedException)
            {
                // The old connection is going anyway.
            }
        }

        try
        {
            var queue = await link.Multiplexer.GetSubscriber().SubscribeAsync(_keys.InvalidationChannel, CommandFlags.DemandMaster).WaitAsync(cancellationToken).ConfigureAwait(false);
            queue.OnMessage(message => OnMessage(queue, message));
            lock (_sync)
            {
                if (Volatile.Read(ref _disposed) == 1)
                {
                    _ = queue.UnsubscribeAsync(CommandFlags.FireAndForget);
                    return;
                }

                _queue = queue;
                _subscribedOn = link;
                Interlocked.Exchange(ref _subscribedAt, _time.GetTimestamp());
                Watch(link.Multiplexer);
            }

            LogSubscribed(_logger, _keys.InvalidationChannelName);
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException or TimeoutException)
        {
            LogSubscribeFailed(_logger, _keys.InvalidationChannelName, ex);
        }
    }

    private void OnMessage(ChannelMessageQueue from, ChannelMessage message)
    {
        try
        {
            Handle(from, message);
        }
        catch (Exception ex)
        {
            // A listener that throws must not stop the queue: what comes next still has to be delivered.
            LogListenerFailed(_logger, _keys.InvalidationChannelName, ex);
            Down(reason: "listener failed");
        }
    }

    private void Handle(ChannelMessageQueue from, ChannelMessage message)
    {
        var text = (string?)message.Message;
        switch (RedisInvalidationMessage.Parse(text, out var sessionId, out var sequence))
        {
            case RedisInvalidationMessage.Kind.Invalidation:
                foreach (var listener in Volatile.Read(ref _listeners))
                {
                    listener.OnInvalidated(sessionId!, sequence);
                }

                break;
            case RedisInvalidationMessage.Kind.Marker:
                if (text!.StartsWith(_markerPrefix, StringComparison.Ordinal))
                {
                    // Only the current subscription's delivery proves anything: an old one's says nothing of the gap.
                    if (ReferenceEquals(from, Volatile.Read(ref _queue)))
                    {
                        Proven();
                    }

                    if (_awaited.TryGetValue(text, out var waiter))
                    {
                        waiter.TrySetResult();
                    }
                }

                break;
            default:
                // Something changed that cannot be named: no copy can be trusted until the next proof.
                LogMalformed(_logger, _keys.InvalidationChannelName);
                Down(reason: "malformed");
                break;
        }
    }

    private void Proven()
    {
        Interlocked.Exchange(ref _lastProof, _time.GetTimestamp());
        if (_up)
        {
            return;
        }

        lock (_sync)
        {
            if (_up || _queue is null || Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            _up = true;
        }

        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.OnChannelUp();
        }
    }

    private void Down(string? reason)
    {
        lock (_sync)
        {
            if (!_up)
            {
                return;
            }

            _up = false;
        }

        if (reason is not null)
        {
            LogChannelDown(_logger, _keys.InvalidationChannelName, reason);
        }

        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.OnChannelDown();
        }

        Interlocked.Exchange(ref _nextDown, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private string NextMarker() => _markerPrefix + Interlocked.Increment(ref _markers).ToString(CultureInfo.InvariantCulture);

    // Must hold _sync.
    private void Watch(IConnectionMultiplexer multiplexer)
    {
        if (!ReferenceEquals(_watched, multiplexer))
        {
            Unwatch();
            _watched = multiplexer;
            multiplexer.ConnectionFailed += OnConnectionFailed;
        }
    }

    // Must hold _sync.
    private void Unwatch()
    {
        if (_watched is not null)
        {
            _watched.ConnectionFailed -= OnConnectionFailed;
            _watched = null;
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType is ConnectionType.Subscription or ConnectionType.Interactive)
        {
            LogConnectionFailed(_logger, _keys.InvalidationChannelName, e.FailureType, e.EndPoint?.ToString());
            Down(reason: null);
        }
    }

    private sealed class Registration(RedisInvalidationFeed feed, ISessionInvalidationListener listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Remove(listener);
            }
        }
    }
}
