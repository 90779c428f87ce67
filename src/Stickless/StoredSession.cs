namespace Stickless;

/// <summary>
/// Everything a store keeps about one session: what a load returns plus the session's version counter. Stores that
/// hold a session as one value (a memcached item, a replicated record, the in-memory store's state) keep one of these
/// and change it only through <see cref="ChangeSetApplier"/>, so every store decides a commit the same way.
/// </summary>
/// <remarks>An instance is immutable by contract: <see cref="Attributes"/> is never changed after construction.</remarks>
public sealed class StoredSession
{
    private static readonly IReadOnlyDictionary<string, SessionAttribute> NoAttributes = new Dictionary<string, SessionAttribute>(0, StringComparer.Ordinal).AsReadOnly();

    /// <summary>The session id.</summary>
    public required string Id { get; init; }

    /// <summary>When the session was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the idle expiry was last moved (the last touch).</summary>
    public required DateTimeOffset LastAccessedAt { get; init; }

    /// <summary>How long the session lives without a touch.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>The instant after which the session is dead whatever its activity.</summary>
    public required DateTimeOffset AbsoluteExpiry { get; init; }

    /// <summary>The principal bound at sign-in, or null.</summary>
    public string? Principal { get; init; }

    /// <summary>Every attribute by name (ordinal), each with its version.</summary>
    public IReadOnlyDictionary<string, SessionAttribute> Attributes { get; init; } = NoAttributes;

    /// <summary>The version given to the attributes changed by the last commit (0 before any attribute was written); versions only grow.</summary>
    public long LastVersion { get; init; }

    /// <summary>The earlier of the idle and the absolute expiry.</summary>
    public DateTimeOffset ExpiresAt
    {
        get
        {
            var idle = LastAccessedAt + IdleTimeout;
            return idle < AbsoluteExpiry ? idle : AbsoluteExpiry;
        }
    }

    /// <summary>True when the session is dead at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>A copy whose idle expiry was moved to <paramref name="now"/>.</summary>
    public StoredSession WithTouch(DateTimeOffset now) => new()
    {
        Id = Id,
        CreatedAt = CreatedAt,
        LastAccessedAt = now,
        IdleTimeout = IdleTimeout,
        AbsoluteExpiry = AbsoluteExpiry,
        Principal = Principal,
        Attributes = Attributes,
        LastVersion = LastVersion,
    };

    /// <summary>The session as <see cref="ISessionStore.LoadAsync"/> returns it.</summary>
    /// <param name="touched">True when this load moved the idle expiry.</param>
    /// <param name="isGraceAlias">True when the id asked for is a grace alias of <see cref="Id"/>.</param>
    /// <param name="sequence">The store's write counter of the session (<see cref="SessionRecord.Sequence"/>), when it keeps one.</param>
    public SessionRecord ToRecord(bool touched = false, bool isGraceAlias = false, long? sequence = null) => new()
    {
        Id = Id,
        CreatedAt = CreatedAt,
        LastAccessedAt = LastAccessedAt,
        IdleTimeout = IdleTimeout,
        AbsoluteExpiry = AbsoluteExpiry,
        Principal = Principal,
        Attributes = Attributes,
        Touched = touched,
        IsGraceAlias = isGraceAlias,
        Sequence = sequence,
    };

    /// <summary>The session as <see cref="ISessionStore.FindByPrincipalAsync"/> lists it.</summary>
    public SessionSummary ToSummary() => new(Id, CreatedAt, LastAccessedAt, ExpiresAt);
}
