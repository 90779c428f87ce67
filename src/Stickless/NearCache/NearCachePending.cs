namespace Stickless;

/// <summary>
/// The store calls in flight for one session id in a <see cref="NearCacheSessionStore"/>, and the newest invalidation that
/// arrived while they were: what a call brings back is cached only if it is at least that new. Guarded by its own lock.
/// </summary>
internal sealed class NearCachePending
{
    /// <summary>Calls in flight.</summary>
    public int Calls;

    /// <summary>The highest sequence invalidated while calls were in flight.</summary>
    public long MaxInvalidated;

    /// <summary>True once removed from the map: a caller that finds it retired takes a fresh one.</summary>
    public bool Retired;
}
