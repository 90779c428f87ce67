using Microsoft.Extensions.Logging;

namespace Stickless.AspNetCore;

/// <summary>
/// Calls the <see cref="ISessionStore"/> with a timeout per call (<see cref="SticklessOptions.StoreTimeout"/>),
/// measures each call, and turns a timeout into <see cref="SessionStoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// The timeout is enforced here, not trusted to the store: a store that ignores its token still releases
/// the request when the timeout fires. A cancellation that came from the caller (the client went away)
/// stays an <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed class SessionStoreClient
{
    public const string Load = "load";
    public const string Commit = "commit";
    public const string Delete = "delete";
    public const string FindByPrincipal = "find_by_principal";

    private readonly ISessionStore _store;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SticklessMetrics _metrics;
    private readonly ILogger _logger;

    public SessionStoreClient(ISessionStore store, TimeSpan timeout, TimeProvider time, SticklessMetrics metrics, ILogger logger)
    {
        _store = store;
        _timeout = timeout;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public string StoreName => _store.Name;

    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken) =>
        CallAsync(Load, static (store, state, token) => store.LoadAsync(state.sessionId, state.options, token), (sessionId, options), cancellationToken);

    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) =>
        CallAsync(Commit, static (store, changes, token) => store.CommitAsync(changes, token), changes, cancellationToken);

    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync(Delete, static (store, id, token) => store.DeleteAsync(id, token), sessionId, cancellationToken);

    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) =>
        CallAsync(FindByPrincipal, static (store, principal, token) => store.FindByPrincipalAsync(principal, token), principal, cancellationToken);

    private async ValueTask<TResult> CallAsync<TState, TResult>(
        string operation,
        Func<ISessionStore, TState, CancellationToken, ValueTask<TResult>> call,
        TState state,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();

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
            _metrics.StoreCall(_store.Name, operation, _time.GetElapsedTime(started));
        }
    }

    private async Task<TResult> WaitAsync<TResult>(ValueTask<TResult> pending, CancellationTokenSource source, CancellationToken cancellationToken)
    {
        // The timer is disposed before the source, but a tick already running may still reach a disposed source.
        using var timer = _time.CreateTimer(CancelSource, source, _timeout, Timeout.InfiniteTimeSpan);
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
