using System.Text;
using System.Threading.Channels;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    // Events wait here between the pub/sub read loop (which must not block) and the observers.
    private readonly Channel<SessionLifecycleEvent> _inbox = Channel.CreateBounded<SessionLifecycleEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private ITimer? _subscribeTimer;
    private IAsyncDisposable? _subscription;
    private int _subscribing;
    private Task _dispatch = Task.CompletedTask;

    /// <summary>True once this instance listens to the event channel (for tests and health reports).</summary>
    public bool IsSubscribed => Volatile.Read(ref _subscription) is not null;

    private void StartBackgroundWork()
    {
        StartSweeper();
        if (_options.PublishEvents && _events.HasObservers)
        {
            _dispatch = DispatchAsync();

            // Subscribe at once, and retry every second until it works (Redis may be down at start).
            _subscribeTimer = _timeProvider.CreateTimer(static state => ((RedisSessionStore)state!).OnSubscribeTick(), this, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
    }

    private void OnSubscribeTick()
    {
        if (_disposed || Volatile.Read(ref _subscription) is not null || Interlocked.Exchange(ref _subscribing, 1) == 1)
        {
            return;
        }

        _ = SubscribeAsync();
    }

    private async Task SubscribeAsync()
    {
        var token = _disposing.Token;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(_options.ConnectTimeout);
            var client = await GetClientAsync(timeout.Token).ConfigureAwait(false);

            // The client re-subscribes by itself after a reconnect: one subscription lasts the store's life.
            var subscription = await client.SubscribeAsync(_keys.ChannelName, OnMessage, timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _subscription, subscription);
            _subscribeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            LogSubscribed(_logger, _keys.ChannelName);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriptionFailed(_logger, TimeSpan.FromSeconds(1), ex);
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    private void OnMessage(ReadOnlyMemory<byte> message)
    {
        if (RedisSessionEventMessage.TryParse(Encoding.UTF8.GetString(message.Span), out var sessionEvent))
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

    private async Task StopBackgroundWorkAsync()
    {
        _sweepTimer?.Dispose();
        _subscribeTimer?.Dispose();
        _inbox.Writer.TryComplete();
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is not null)
        {
            try
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The connection is closing anyway.
            }
        }

        await Task.WhenAll(_dispatch, _sweep).ConfigureAwait(false);
    }
}
