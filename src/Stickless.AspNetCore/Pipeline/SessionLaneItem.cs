namespace Stickless.AspNetCore;

/// <summary>A request waiting in a <see cref="SessionLane"/>: a change set to commit, or a turn to take.</summary>
internal sealed class SessionLaneItem(SessionChangeSet? changes, bool mergeable)
{
    /// <summary>The change set; null for a turn (the holder builds its change set once its turn comes).</summary>
    public SessionChangeSet? Changes { get; } = changes;

    /// <summary>True when the change set may share a store call with its neighbours (no compare-and-set, no create, rename, clear or principal).</summary>
    public bool Mergeable { get; } = mergeable;

    /// <summary>Completed when the item's turn comes (to lead a batch, or hold the lane) or its result is known.</summary>
    public TaskCompletionSource<SessionLaneSignal> Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
