namespace Stickless;

/// <summary>A lifecycle event raised by a store.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="SessionId">The session's id (the old id for <see cref="SessionEventKind.IdRenewed"/>).</param>
/// <param name="NewSessionId">The new id, for <see cref="SessionEventKind.IdRenewed"/>; otherwise null.</param>
/// <param name="Principal">The principal bound to the session when the event happened, if any.</param>
/// <param name="At">When it happened, as near as the store can tell.</param>
public sealed record SessionLifecycleEvent(SessionEventKind Kind, string SessionId, string? NewSessionId, string? Principal, DateTimeOffset At);
