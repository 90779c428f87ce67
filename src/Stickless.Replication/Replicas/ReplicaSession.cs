namespace Stickless.Replication.Replicas;

/// <summary>A live session as a replica holds it: the record's fields and the session's attribute version counter. Immutable.</summary>
internal sealed class ReplicaSession
{
    public required string Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastAccessedAt { get; init; }

    public required TimeSpan IdleTimeout { get; init; }

    public required DateTimeOffset AbsoluteExpiry { get; init; }

    public string? Principal { get; init; }

    /// <summary>Every attribute (never mutated once the session is published).</summary>
    public required IReadOnlyDictionary<string, SessionAttribute> Attributes { get; init; }

    /// <summary>The version given to the attributes set by the last commit; the next commit's is one more.</summary>
    public long LastVersion { get; init; }

    public DateTimeOffset ExpiresAt
    {
        get
        {
            var idle = LastAccessedAt + IdleTimeout;
            return idle < AbsoluteExpiry ? idle : AbsoluteExpiry;
        }
    }

    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>The size of the session's data: names, values and the fixed fields (for <c>bytesHeld</c>).</summary>
    public long ByteSize
    {
        get
        {
            long size = 43 + 8 * 5 + (Principal?.Length ?? 0);
            foreach (var (name, attribute) in Attributes)
            {
                size += name.Length + attribute.Value.Length + 8;
            }

            return size;
        }
    }

    public SessionRecord ToRecord(bool touched, bool isGraceAlias) => new()
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
    };

    public ReplicaSession With(string? id = null, DateTimeOffset? lastAccessedAt = null, IReadOnlyDictionary<string, SessionAttribute>? attributes = null, long? lastVersion = null) => new()
    {
        Id = id ?? Id,
        CreatedAt = CreatedAt,
        LastAccessedAt = lastAccessedAt ?? LastAccessedAt,
        IdleTimeout = IdleTimeout,
        AbsoluteExpiry = AbsoluteExpiry,
        Principal = Principal,
        Attributes = attributes ?? Attributes,
        LastVersion = lastVersion ?? LastVersion,
    };
}
