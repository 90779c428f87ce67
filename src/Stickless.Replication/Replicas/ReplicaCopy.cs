using Stickless.Replication.Transport;

namespace Stickless.Replication.Replicas;

/// <summary>
/// What the owner sends a replica for one session: the whole state (a create, a tombstone, a re-replication, or when
/// the replica is missing the previous write) or only the delta from the previous version (the attributes this write
/// set, the names it removed, and the small fields).
/// </summary>
internal sealed class ReplicaCopy
{
    private ReplicaCopy(string id, ReplicaState state, ReplicaVersion? deltaBase, IReadOnlyDictionary<string, SessionAttribute>? set, IReadOnlyList<string>? removed)
    {
        Id = id;
        State = state;
        DeltaBase = deltaBase;
        Set = set;
        Removed = removed;
    }

    public string Id { get; }

    /// <summary>The state the replica must end with (for a delta, only its small fields and version travel).</summary>
    public ReplicaState State { get; }

    /// <summary>For a delta: the version the replica must hold for it to apply; null for a whole state.</summary>
    public ReplicaVersion? DeltaBase { get; }

    public IReadOnlyDictionary<string, SessionAttribute>? Set { get; }

    public IReadOnlyList<string>? Removed { get; }

    public bool IsDelta => DeltaBase is not null;

    public static ReplicaCopy Full(string id, ReplicaState state) => new(id, state, null, null, null);

    /// <summary>The delta from <paramref name="previous"/> to <paramref name="next"/>, or the whole state when a delta cannot express it.</summary>
    public static ReplicaCopy Between(string id, ReplicaState? previous, ReplicaState next)
    {
        if (previous?.Session is not { } before || next.Session is not { } after || !next.Version.SameEpoch(previous.Version) || before.Id != after.Id)
        {
            return Full(id, next);
        }

        var set = new Dictionary<string, SessionAttribute>(StringComparer.Ordinal);
        foreach (var (name, attribute) in after.Attributes)
        {
            if (!before.Attributes.TryGetValue(name, out var old) || old.Version != attribute.Version)
            {
                set[name] = attribute;
            }
        }

        var removed = before.Attributes.Keys.Where(name => !after.Attributes.ContainsKey(name)).ToList();
        return new ReplicaCopy(id, next, previous.Version, set, removed);
    }

    /// <summary>The state after applying this copy to <paramref name="current"/>; null when it is a delta whose base the replica does not hold.</summary>
    public ReplicaState? ApplyTo(ReplicaState? current)
    {
        if (DeltaBase is not { } baseVersion)
        {
            return State;
        }

        if (current?.Session is not { } session || current.Version != baseVersion)
        {
            return null;
        }

        var attributes = new Dictionary<string, SessionAttribute>(session.Attributes, StringComparer.Ordinal);
        foreach (var name in Removed!)
        {
            attributes.Remove(name);
        }

        foreach (var (name, attribute) in Set!)
        {
            attributes[name] = attribute;
        }

        var small = State.Session!;
        return new ReplicaState
        {
            Version = State.Version,
            ForkedFrom = current.ForkedFrom,
            Session = new StoredSession
            {
                Id = session.Id,
                CreatedAt = session.CreatedAt,
                LastAccessedAt = small.LastAccessedAt,
                IdleTimeout = session.IdleTimeout,
                AbsoluteExpiry = session.AbsoluteExpiry,
                Principal = small.Principal,
                Attributes = attributes,
                LastVersion = small.LastVersion,
            },
        };
    }

    public void Write(PeerWriter writer)
    {
        writer.String(Id);
        writer.Bool(IsDelta);
        if (DeltaBase is not { } baseVersion)
        {
            ReplicaWire.State(writer, State);
            return;
        }

        var session = State.Session!;
        ReplicaWire.Version(writer, baseVersion);
        ReplicaWire.Version(writer, State.Version);
        writer.Instant(session.LastAccessedAt);
        writer.NullableString(session.Principal);
        writer.Int64(session.LastVersion);
        ReplicaWire.Attributes(writer, Set!);
        writer.Int32(Removed!.Count);
        foreach (var name in Removed)
        {
            writer.String(name);
        }
    }

    public static ReplicaCopy Read(ref PeerReader reader, int maxValueBytes)
    {
        var id = ReplicaWire.Id(ref reader);
        if (!reader.Bool())
        {
            var state = ReplicaWire.State(ref reader, maxValueBytes);
            if (state.Session is { } session && session.Id != id)
            {
                throw new PeerProtocolException("A copy's session id differs from its entry id.");
            }

            return Full(id, state);
        }

        var baseVersion = ReplicaWire.Version(ref reader);
        var version = ReplicaWire.Version(ref reader);
        var lastAccessed = reader.Instant();
        var principal = reader.NullableString(ReplicaWire.MaxNameBytes, "principal");
        var lastVersion = reader.Int64();
        var set = ReplicaWire.Attributes(ref reader, maxValueBytes);
        var removedCount = reader.Count(ReplicaWire.MaxCount, "removed count");
        var removed = new List<string>(removedCount);
        for (var i = 0; i < removedCount; i++)
        {
            removed.Add(reader.String(ReplicaWire.MaxNameBytes, "removed name"));
        }

        if (version <= baseVersion)
        {
            throw new PeerProtocolException("A delta does not move its session forward.");
        }

        var small = new StoredSession
        {
            Id = id,
            CreatedAt = default,
            LastAccessedAt = lastAccessed,
            IdleTimeout = TimeSpan.Zero,
            AbsoluteExpiry = default,
            Principal = principal,
            LastVersion = lastVersion,
            Attributes = set,
        };
        return new ReplicaCopy(id, new ReplicaState { Version = version, Session = small }, baseVersion, set, removed);
    }
}
