namespace Stickless;

/// <summary>
/// Where sessions live. Every implementation keeps the rules of DESIGN.md: a read-only load is one round
/// trip and writes only when the touch throttle fires; a commit is one atomic operation that never
/// resurrects a deleted or expired session; compare-and-set per attribute; expiry by the store's own clock.
/// </summary>
/// <remarks>
/// Implementations throw <see cref="SessionStoreUnavailableException"/> when the store cannot be reached or
/// answers wrongly, and <see cref="OperationCanceledException"/> when the call's cancellation token
/// fires. They never return another session's data.
/// </remarks>
public interface ISessionStore
{
    /// <summary>The store's name (for example <c>InMemory</c>, <c>Redis</c>), used in logs and metrics.</summary>
    string Name { get; }

    /// <summary>Loads a session, touching it when <see cref="SessionLoadOptions.TouchAfter"/> says so.</summary>
    /// <returns>The session, or null when it does not exist (never issued, deleted or expired).</returns>
    ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken);

    /// <summary>Applies a change set atomically (see <see cref="SessionChangeSet"/>).</summary>
    ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken);

    /// <summary>Deletes a session everywhere, and its entry in the per-user index.</summary>
    /// <returns>True when a session was deleted.</returns>
    ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Lists the live sessions bound to <paramref name="principal"/>, pruning dead ids from the index as it goes.</summary>
    ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken);

    /// <summary>Checks that the store answers (for health checks).</summary>
    ValueTask PingAsync(CancellationToken cancellationToken);
}
