namespace Stickless;

// The in-memory store as an invalidation source: every node that shares this store instance (the process) hears every
// change at once, synchronously, under the session's lock, before the call that made it returns. Its channel is
// never down. Useful to run a near cache over it in tests and benchmarks; in production a near cache in front of
// memory buys nothing.
public sealed partial class InMemorySessionStore
{
    private ISessionInvalidationListener[] _listeners = [];

    /// <inheritdoc />
    /// <remarks>The channel is up at once (delivery is in process) and never goes down; <paramref name="silenceLimit"/> is not used.</remarks>
    public IDisposable SubscribeInvalidations(ISessionInvalidationListener listener, TimeSpan silenceLimit)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_timerGate)
        {
            _listeners = [.. _listeners, listener];
        }

        listener.OnChannelUp();
        return new Subscription(this, listener);
    }

    /// <inheritdoc />
    /// <remarks>Always complete: invalidations are delivered before the call that made them returns.</remarks>
    public ValueTask SynchronizeInvalidationsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    /// <summary>Tells every listener that <paramref name="sessionId"/> is now at <paramref name="sequence"/>.</summary>
    private void Invalidate(string sessionId, long sequence)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.OnInvalidated(sessionId, sequence);
        }
    }

    private void Unsubscribe(ISessionInvalidationListener listener)
    {
        lock (_timerGate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private sealed class Subscription(InMemorySessionStore store, ISessionInvalidationListener listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                store.Unsubscribe(listener);
            }
        }
    }
}
