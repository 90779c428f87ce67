namespace Stickless;

/// <summary>
/// One immutable version of a session held by <see cref="InMemorySessionStore"/>. Every commit and every
/// touch builds a new state and publishes it with a single reference write, so a load reads a consistent
/// state without a lock and can hand out <see cref="Record"/> without copying it.
/// </summary>
internal sealed class InMemorySessionState
{
    private InMemorySessionState(SessionRecord record, long lastVersion, string[] aliasIds)
    {
        Record = record;
        LastVersion = lastVersion;
        AliasIds = aliasIds;
    }

    /// <summary>The snapshot handed to callers (not touched, not an alias); shared, never mutated.</summary>
    public SessionRecord Record { get; }

    /// <summary>The session's version counter: the version given to the attributes set by the last commit.</summary>
    public long LastVersion { get; }

    /// <summary>The old ids that are grace aliases of this session.</summary>
    public string[] AliasIds { get; }

    /// <summary>The attributes (the same map as <see cref="SessionRecord.Attributes"/> of <see cref="Record"/>).</summary>
    public InMemoryAttributeMap Attributes => (InMemoryAttributeMap)Record.Attributes;

    /// <summary>Creates the state of a new session.</summary>
    public static InMemorySessionState Create(string id, DateTimeOffset now, TimeSpan idleTimeout, DateTimeOffset absoluteExpiry) =>
        new(new SessionRecord
        {
            Id = id,
            CreatedAt = now,
            LastAccessedAt = now,
            IdleTimeout = idleTimeout,
            AbsoluteExpiry = absoluteExpiry,
            Attributes = InMemoryAttributeMap.None,
        }, 0, []);

    /// <summary>True when the session is dead at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= Record.ExpiresAt;

    /// <summary>A copy with the idle expiry moved to <paramref name="now"/>.</summary>
    public InMemorySessionState WithTouch(DateTimeOffset now) =>
        new(Copy(Record, Record.Id, now, Record.Principal, Attributes), LastVersion, AliasIds);

    /// <summary>A copy with other values.</summary>
    public InMemorySessionState With(
        string id,
        DateTimeOffset lastAccessedAt,
        string? principal,
        InMemoryAttributeMap attributes,
        long lastVersion,
        string[] aliasIds) =>
        new(Copy(Record, id, lastAccessedAt, principal, attributes), lastVersion, aliasIds);

    /// <summary>The record as a load returns it: flagged as touched and/or reached through a grace alias.</summary>
    public SessionRecord ToLoadResult(bool touched, bool viaAlias)
    {
        if (!touched && !viaAlias)
        {
            return Record;
        }

        return new SessionRecord
        {
            Id = Record.Id,
            CreatedAt = Record.CreatedAt,
            LastAccessedAt = Record.LastAccessedAt,
            IdleTimeout = Record.IdleTimeout,
            AbsoluteExpiry = Record.AbsoluteExpiry,
            Principal = Record.Principal,
            Attributes = Record.Attributes,
            Touched = touched,
            IsGraceAlias = viaAlias,
        };
    }

    private static SessionRecord Copy(SessionRecord record, string id, DateTimeOffset lastAccessedAt, string? principal, InMemoryAttributeMap attributes) =>
        new()
        {
            Id = id,
            CreatedAt = record.CreatedAt,
            LastAccessedAt = lastAccessedAt,
            IdleTimeout = record.IdleTimeout,
            AbsoluteExpiry = record.AbsoluteExpiry,
            Principal = principal,
            Attributes = attributes,
        };
}
