namespace Stickless;

/// <summary>
/// A session as loaded from an <see cref="ISessionStore"/>: metadata plus every attribute.
/// </summary>
/// <remarks>A record is a snapshot; it is never mutated after the store returns it.</remarks>
public sealed class SessionRecord
{
    /// <summary>The session id (256 bits, base64url). When <see cref="IsGraceAlias"/> is true this is the id the session was renamed to.</summary>
    public required string Id { get; init; }

    /// <summary>When the session was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the store last moved the session's idle expiry (the last "touch").</summary>
    public required DateTimeOffset LastAccessedAt { get; init; }

    /// <summary>How long the session lives without a touch.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>The instant after which the session is dead whatever its activity.</summary>
    public required DateTimeOffset AbsoluteExpiry { get; init; }

    /// <summary>The principal (user name) bound at sign-in, or <see langword="null"/> for an anonymous session.</summary>
    public string? Principal { get; init; }

    /// <summary>Every attribute, by name (ordinal).</summary>
    public required IReadOnlyDictionary<string, SessionAttribute> Attributes { get; init; }

    /// <summary>True when this load moved the idle expiry (the touch throttle fired).</summary>
    public bool Touched { get; init; }

    /// <summary>
    /// True when the id that was asked for had just been rotated away and is inside its grace period:
    /// the data is the renamed session's, <see cref="Id"/> is the new id, and callers must not reveal
    /// the new id to the holder of the old one.
    /// </summary>
    public bool IsGraceAlias { get; init; }

    /// <summary>
    /// The store's write counter of the session when it was read: it grows with every write of the session (commit, touch,
    /// rotation), and invalidations carry it (<see cref="ISessionInvalidationListener"/>), so a near cache can tell whether
    /// its copy is the latest. Null when the store keeps none.
    /// </summary>
    public long? Sequence { get; init; }

    /// <summary>The instant the session expires if it is not touched again: the earlier of idle and absolute expiry.</summary>
    public DateTimeOffset ExpiresAt
    {
        get
        {
            var idle = LastAccessedAt + IdleTimeout;
            return idle < AbsoluteExpiry ? idle : AbsoluteExpiry;
        }
    }
}
