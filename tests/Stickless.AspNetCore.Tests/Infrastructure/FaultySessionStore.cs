namespace Stickless.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A real store that can be told to fail (throw), hang (never answer, ignoring its token) or, on commit,
/// report a compare-and-set conflict for every attribute (as if another request always won), per operation.
/// </summary>
public sealed class FaultySessionStore : ISessionStore, IDisposable
{
    private readonly ISessionStore _inner;
    private int _commits;

    public FaultySessionStore(ISessionStore inner) => _inner = inner;

    public enum Fault { None, Throw, Hang, Conflict }

    public string Name => "Faulty";

    public Fault OnLoad { get; set; }

    public Fault OnCommit { get; set; }

    public Fault OnDelete { get; set; }

    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken) =>
        Apply(OnLoad, () => _inner.LoadAsync(sessionId, options, cancellationToken));

    public int Commits => Volatile.Read(ref _commits);

    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _commits);
        return OnCommit == Fault.Conflict
            ? ValueTask.FromResult(CommitResult.Conflict(changes.Attributes.Keys.ToDictionary(name => name, _ => (SessionAttribute?)null)))
            : Apply(OnCommit, () => _inner.CommitAsync(changes, cancellationToken));
    }

    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        Apply(OnDelete, () => _inner.DeleteAsync(sessionId, cancellationToken));

    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) =>
        _inner.FindByPrincipalAsync(principal, cancellationToken);

    public ValueTask PingAsync(CancellationToken cancellationToken) => _inner.PingAsync(cancellationToken);

    public void Dispose() => (_inner as IDisposable)?.Dispose();

    private static ValueTask<T> Apply<T>(Fault fault, Func<ValueTask<T>> call) => fault switch
    {
        Fault.Throw => ValueTask.FromException<T>(new SessionStoreUnavailableException("Injected failure.")),
        // Ignores its token on purpose: the middleware must enforce the timeout itself.
        Fault.Hang => new ValueTask<T>(new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously).Task),
        _ => call(),
    };
}
