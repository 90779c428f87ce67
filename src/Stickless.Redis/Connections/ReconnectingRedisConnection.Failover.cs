namespace Stickless.Redis.Connections;

internal sealed partial class ReconnectingRedisConnection
{
    // Cancelled to cut a backoff pause short when the topology is known to have changed.
    private CancellationTokenSource? _wake;

    /// <summary>
    /// Drops <paramref name="stale"/> if it is still the live connection (it answered <c>READONLY</c>: it talks
    /// to a replica), so the next caller waits for a fresh connection to whatever the resolver finds now.
    /// </summary>
    public void Reconnect(RedisPhysicalConnection stale)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested || _current != stale) { return; }
        }
        Detach(stale, new RedisConnectionException($"Redis {stale.Endpoint} answered READONLY: it is no longer the master.") { Endpoint = stale.Endpoint });
    }

    /// <summary>
    /// The master moved to <paramref name="master"/>: drops the live connection unless it already talks to it,
    /// and wakes a reconnect loop that is pausing between attempts, so it resolves again at once.
    /// </summary>
    public void ReconnectUnlessAt(RedisEndpoint master)
    {
        RedisPhysicalConnection? stale;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested) { return; }
            stale = _current is { IsAlive: true } current && current.Endpoint != master ? current : null;
            _wake?.Cancel();
        }
        if (stale is not null)
        {
            Detach(stale, new RedisConnectionException($"Sentinel reports {master} as the master now; left {stale.Endpoint}.") { Endpoint = stale.Endpoint });
        }
    }

    /// <summary>
    /// Stops handing out <paramref name="stale"/> at once (callers from now on wait for the reconnect), starts
    /// the reconnect loop, and closes it: the calls in flight on it fail with <see cref="RedisConnectionException"/>.
    /// </summary>
    private void Detach(RedisPhysicalConnection stale, RedisConnectionException reason)
    {
        lock (_gate)
        {
            if (_current != stale) { return; }
            _current = null;
            _ready = NewReady();
            _lastError = reason;
        }
        StartReconnecting();
        // Not awaited: this may run on a read loop (a pub/sub callback), which closing waits for.
        _ = Task.Run(async () => await stale.DisposeAsync().ConfigureAwait(false));
    }

    /// <summary>Pauses before the next reconnect attempt; returns true when woken early by a topology change.</summary>
    private async Task<bool> WaitBeforeRetryAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_gate) { _wake = wake; }
        try
        {
            await Task.Delay(delay, _settings.TimeProvider, wake.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        finally
        {
            lock (_gate) { _wake = null; }
        }
    }
}
