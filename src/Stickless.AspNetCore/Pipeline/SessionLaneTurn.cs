namespace Stickless.AspNetCore;

/// <summary>
/// A request's exclusive hold of its session's lane (<see cref="SessionCommitPipeline.TakeTurnAsync"/>): it reads what this
/// node's earlier commits left, commits, and lets the next request go when disposed.
/// </summary>
internal sealed class SessionLaneTurn(SessionCommitPipeline pipeline, SessionLane? lane) : IDisposable
{
    private int _disposed;

    /// <summary>What this node's earlier commits of the session left in the store (attributes with their versions).</summary>
    public KeyValuePair<string, SessionAttribute>[] Latest() => SessionCommitPipeline.LatestOf(lane);

    /// <summary>One store call, recorded in the lane.</summary>
    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken) =>
        pipeline.CommitInTurnAsync(lane, changes, cancellationToken);

    public void Dispose()
    {
        if (lane is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            pipeline.HandOff(lane);
        }
    }
}
