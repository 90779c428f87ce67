namespace Stickless;

/// <summary>A store call of a <see cref="NearCacheSessionStore"/> in flight: what it registered, the channel epoch and the time it started.</summary>
internal readonly record struct NearCacheTicket(string SessionId, NearCachePending Pending, long Epoch, long StartedAt);
