using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Stickless.AspNetCore;

/// <summary>
/// Every call Stickless makes to the <see cref="ISessionStore"/>, from a request or from outside one (the session manager,
/// the ticket store, the health check): a timeout per call (<see cref="SticklessOptions.StoreTimeout"/>), the circuit
/// breaker (<see cref="SticklessHttpOptions.CircuitBreaker"/>), and metrics. A timeout, a failure and an open circuit all
/// surface as <see cref="SessionStoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// The timeout is enforced here, not trusted to the store: a store that ignores its token still releases the request when
/// the timeout fires. A cancellation that came from the caller (the client went away) stays an
/// <see cref="OperationCanceledException"/> and does not count against the store.
/// </remarks>
internal sealed partial class SessionStoreClient
{
    public const string Load = "load";
    public const string Commit = "commit";
    public const string Delete = "delete";
    public const string FindByPrincipal = "find_by_principal";
    public const string Ping = "ping";

    private readonly ISessionStore _store;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SticklessMetrics _metrics;
    private readonly ILogger _logger;
    private readonly NearCacheSessionStore? _nearCache;

    public SessionStoreClient(ISessionStore store, IOptions<SticklessHttpOptions> options, TimeProvider time, SticklessMetrics metrics, ILoggerFactory loggerFactory)
        : this(store, options.Value.StoreTimeout, options.Value.CircuitBreaker, time, metrics, loggerFactory.CreateLogger("Stickless.AspNetCore.Store"))
    {
    }

    internal SessionStoreClient(ISessionStore store, TimeSpan timeout, SticklessCircuitBreakerOptions? breaker, TimeProvider time, SticklessMetrics metrics, ILogger logger)
    {
        _store = store;
        _timeout = timeout;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _breaker = breaker is { Enabled: true } ? BuildBreaker(breaker) : null;
        _nearCache = store as NearCacheSessionStore;
        metrics.ObserveCircuit(store.Name, () => (int)CircuitState);
    }

    /// <summary>The store's name.</summary>
    public string StoreName => _store.Name;

    /// <summary>The store's per-call timeout.</summary>
    public TimeSpan Timeout => _timeout;

    /// <remarks>
    /// A fresh copy in the near cache is answered at once: no store call, so no timeout, circuit breaker or store metrics
    /// (the cache counts its hits itself).
    /// </remarks>
    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken) =>
        _nearCache is not null && _nearCache.TryGetCached(sessionId, options, out var cached)
            ? new ValueTask<SessionRecord?>(cached)
            : CallAsync(Load, static (store, state, token) => store.LoadAsync(state.sessionId, state.options, token), (sessionId, options), cancellationToken);

    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) =>
        CallAsync(Commit, static (store, changes, token) => store.CommitAsync(changes, token), changes, cancellationToken);

    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync(Delete, static (store, id, token) => store.DeleteAsync(id, token), sessionId, cancellationToken);

    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) =>
        CallAsync(FindByPrincipal, static (store, principal, token) => store.FindByPrincipalAsync(principal, token), principal, cancellationToken);

    public ValueTask<bool> PingAsync(CancellationToken cancellationToken) =>
        CallAsync(Ping, static async (store, _, token) =>
        {
            await store.PingAsync(token).ConfigureAwait(false);
            return true;
        }, 0, cancellationToken);

    private async ValueTask<TResult> CallAsync<TState, TResult>(
        string operation,
        Func<ISessionStore, TState, CancellationToken, ValueTask<TResult>> call,
        TState state,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return _breaker is null
                ? await CallWithTimeoutAsync(operation, call, state, cancellationToken).ConfigureAwait(false)
                : await _breaker.ExecuteAsync(
                    static (s, token) => s.Client.CallWithTimeoutAsync(s.Operation, s.Call, s.State, token),
                    (Client: this, Operation: operation, Call: call, State: state),
                    cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            _metrics.StoreFailed(_store.Name, operation);
            throw new SessionStoreUnavailableException($"The {_store.Name} session store is failing: calls are refused until a probe succeeds (circuit open).", ex);
        }
        finally
        {
            _metrics.StoreCall(_store.Name, operation, _time.GetElapsedTime(started));
        }
    }

    private async ValueTask<TResult> CallWithTimeoutAsync<TState, TResult>(
        string operation,
        Func<ISessionStore, TState, CancellationToken, ValueTask<TResult>> call,
        TState state,
        CancellationToken cancellationToken)
    {
        // The store's token. The timeout timer and the link to the caller's token are set up only when the call
        // does not complete at once: a store that answers synchronously (in memory) costs no timer and no link.
        var source = new CancellationTokenSource();
        try
        {
            var pending = call(_store, state, source.Token);
            return pending.IsCompletedSuccessfully
                ? pending.Result
                : await WaitAsync(pending, source, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (source.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _metrics.StoreFailed(_store.Name, operation);
            SticklessLog.StoreCallTimedOut(_logger, _store.Name, operation, _timeout);
            throw new SessionStoreUnavailableException($"The {_store.Name} session store did not answer {operation} within {_timeout}.", ex);
        }
        catch (SessionStoreUnavailableException)
        {
            _metrics.StoreFailed(_store.Name, operation);
            throw;
        }
        finally
        {
            source.Dispose();
        }
    }

    private async Task<TResult> WaitAsync<TResult>(ValueTask<TResult> pending, CancellationTokenSource source, CancellationToken cancellationToken)
    {
        // The timer is disposed before the source, but a tick already running may still reach a disposed source.
        using var timer = _time.CreateTimer(CancelSource, source, _timeout, System.Threading.Timeout.InfiniteTimeSpan);
        using var link = cancellationToken.UnsafeRegister(CancelSource, source);
        return await pending.AsTask().WaitAsync(source.Token).ConfigureAwait(false);
    }

    private static void CancelSource(object? source)
    {
        try
        {
            ((CancellationTokenSource)source!).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended just as the timeout fired.
        }
    }
}
