using System.Threading.Channels;
using StackExchange.Redis;
using Stickless.Redis.Connection;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    // How often the subscription is (re)attempted while it is missing or its connection was replaced.
    private static readonly TimeSpan SubscribeEvery = TimeSpan.FromSeconds(1);

    // Events wait here between StackExchange.Redis's message handler (which must not block) and the observers.
    private readonly Channel<SessionLifecycleEvent> _inbox = Channel.CreateBounded<SessionLifecycleEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Lock _lifecycle = new();
    private ITimer? _subscribeTimer;
    private RedisLink? _subscribedLink;
    private Action<RedisChannel, RedisValue>? _handler;
    private int _subscribing;
    private bool _started;
    private Task _dispatch = Task.CompletedTask;
    private Task _subscribe = Task.CompletedTask;

    /// <summary>True once this instance listens to the event channel (for tests and health reports).</summary>
    public bool IsSubscribed => Volatile.Read(ref _subscribedLink) is { } link && link == _connection.Current;

    /// <summary>
    /// Starts the background work: the expiry sweeper (every <see cref="RedisSessionStoreOptions.SweepInterval"/>)
    /// and, when <see cref="RedisSessionStoreOptions.PublishEvents"/> and someone observes events, the
    /// subscription to the event channel (retried every second while Redis is unreachable; a failure is logged
    /// when it happens). Returns at once: it never waits for Redis.
    /// </summary>
    /// <param name="cancellationToken">Not used: nothing here waits.</param>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            StartSweeper();
            if (_options.PublishEvents && _events.HasObservers)
            {
                _dispatch = DispatchAsync();
                _subscribeTimer = _timeProvider.CreateTimer(static state => ((RedisSessionStore)state!).OnSubscribeTick(), this, TimeSpan.Zero, SubscribeEvery);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the background work and waits for what is running (a sweep, the last events) to finish.</summary>
    /// <param name="cancellationToken">Stops waiting (the work still ends shortly).</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            if (!_started)
            {
                return;
            }

            _started = false;
            _sweepTimer?.Dispose();
            _sweepTimer = null;
            _subscribeTimer?.Dispose();
            _subscribeTimer = null;
            _inbox.Writer.TryComplete();
        }

        var link = Interlocked.Exchange(ref _subscribedLink, null);
        if (link is not null && _handler is not null)
        {
            try
            {
                // Only our handler: on the application's multiplexer others may listen to the same channel.
                await link.Multiplexer.GetSubscriber().UnsubscribeAsync(_keys.Channel, _handler).WaitAsync(_options.OperationTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                LogUnsubscribeFailed(_logger, ex);
            }
        }

        await Task.WhenAll(_dispatch, _sweep, _subscribe).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnSubscribeTick()
    {
        if (Volatile.Read(ref _disposed) == 1 || IsSubscribed || Interlocked.Exchange(ref _subscribing, 1) == 1)
        {
            return;
        }

        _subscribe = SubscribeAsync();
    }

    private async Task SubscribeAsync()
    {
        var token = _disposing.Token;
        try
        {
            using var timeout = new CancellationTokenSource(_options.OperationTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            var link = await _connection.GetAsync(linked.Token).ConfigureAwait(false);
            _handler ??= OnMessage;

            // StackExchange.Redis re-subscribes after a reconnect by itself; a replaced connection is re-subscribed here.
            await link.Multiplexer.GetSubscriber().SubscribeAsync(_keys.Channel, _handler).WaitAsync(linked.Token).ConfigureAwait(false);
            Volatile.Write(ref _subscribedLink, link);
            LogSubscribed(_logger, _keys.ChannelName);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            LogSubscriptionFailed(_logger, SubscribeEvery, ex);
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (RedisSessionEventMessage.TryParse(message.ToString(), out var sessionEvent))
        {
            _inbox.Writer.TryWrite(sessionEvent!);
        }
        else
        {
            LogBadEvent(_logger, _keys.ChannelName);
        }
    }

    private async Task DispatchAsync()
    {
        var token = _disposing.Token;
        try
        {
            await foreach (var sessionEvent in _inbox.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                await _events.PublishAsync(sessionEvent, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
