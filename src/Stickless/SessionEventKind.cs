namespace Stickless;

/// <summary>What happened to a session.</summary>
public enum SessionEventKind
{
    /// <summary>A session was created.</summary>
    Created,

    /// <summary>A session's id was rotated (sign-in or on demand); <see cref="SessionLifecycleEvent.NewSessionId"/> holds the new id.</summary>
    IdRenewed,

    /// <summary>A session died of its idle or absolute timeout.</summary>
    Expired,

    /// <summary>A session was deleted (logout, revocation, invalidation).</summary>
    Deleted,
}
