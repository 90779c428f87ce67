namespace Stickless.AspNetCore.Tests.Infrastructure;

/// <summary>Counts the calls that reach a real store.</summary>
public sealed class CountingSessionStore : ISessionStore, IDisposable
{
    private readonly ISessionStore _inner;
    private int _loads;
    private int _commits;
    private int _deletes;

    public CountingSessionStore(ISessionStore inner) => _inner = inner;

    public string Name => "Counting";

    public int Loads => Volatile.Read(ref _loads);

    public int Commits => Volatile.Read(ref _commits);

    public int Deletes => Volatile.Read(ref _deletes);

    public int Calls => Loads + Commits + Deletes;

    public List<SessionChangeSet> ChangeSets { get; } = [];

    public void Reset()
    {
        _loads = _commits = _deletes = 0;
        lock (ChangeSets) { ChangeSets.Clear(); }
    }

    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        return _inner.LoadAsync(sessionId, options, cancellationToken);
    }

    /// <summary>When set, commits wait for it before they reach the store (to hold a session's lane busy).</summary>
    public TaskCompletionSource? CommitGate { get; set; }

    /// <summary>Completed when a commit reaches the gate.</summary>
    public TaskCompletionSource CommitAtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _commits);
        lock (ChangeSets) { ChangeSets.Add(changes); }
        return CommitGate is { } gate ? CommitAfterAsync(gate.Task, changes, cancellationToken) : _inner.CommitAsync(changes, cancellationToken);
    }

    private async ValueTask<CommitResult> CommitAfterAsync(Task gate, SessionChangeSet changes, CancellationToken cancellationToken)
    {
        CommitAtGate.TrySetResult();
        await gate;
        return await _inner.CommitAsync(changes, cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deletes);
        return _inner.DeleteAsync(sessionId, cancellationToken);
    }

    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken) =>
        _inner.FindByPrincipalAsync(principal, cancellationToken);

    public ValueTask PingAsync(CancellationToken cancellationToken) => _inner.PingAsync(cancellationToken);

    public void Dispose() => (_inner as IDisposable)?.Dispose();
}
