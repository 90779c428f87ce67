namespace Stickless.AspNetCore;

/// <summary>
/// The commits of one session on this node, one store call at a time (<see cref="SessionCommitPipeline"/>): who holds
/// the lane, who waits, and what the last commits of this node left in the store.
/// </summary>
/// <remarks>Every field is guarded by <see cref="Gate"/>.</remarks>
internal sealed class SessionLane(string sessionId)
{
    public string SessionId { get; } = sessionId;

    public Lock Gate { get; } = new();

    /// <summary>Requests of this session in flight on this node (they keep <see cref="Latest"/> alive).</summary>
    public int Holders;

    /// <summary>True while a store call (or a turn) is under way: others queue.</summary>
    public bool Busy;

    /// <summary>True once removed from the pipeline: a request that finds it retired takes a fresh lane.</summary>
    public bool Retired;

    /// <summary>Waiting requests, in arrival order.</summary>
    public List<SessionLaneItem> Queue { get; } = [];

    /// <summary>
    /// Attributes as this node's commits (and the conflicts they met) left them in the store, with their versions: a
    /// request whose snapshot is older adopts them before its compare-and-set, so that updates on one node never collide.
    /// </summary>
    public Dictionary<string, SessionAttribute> Latest { get; } = new(StringComparer.Ordinal);
}
