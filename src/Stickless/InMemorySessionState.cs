namespace Stickless;

/// <summary>
/// One immutable version of a session held by <see cref="InMemorySessionStore"/>: the stored session, the record a load
/// hands out, and the grace aliases that name it. Every commit and every touch builds a new state and publishes it with
/// a single reference write, so a load reads a consistent state without a lock and hands out <see cref="Record"/>
/// without copying it.
/// </summary>
internal sealed class InMemorySessionState
{
    public InMemorySessionState(StoredSession session, string[] aliasIds, long sequence)
    {
        Session = session;
        Sequence = sequence;
        Record = session.ToRecord(sequence: sequence);
        AliasIds = aliasIds;
    }

    /// <summary>The session as <see cref="ChangeSetApplier"/> reads and writes it.</summary>
    public StoredSession Session { get; }

    /// <summary>The session's write counter: 1 at creation, one more for every state that replaces this one.</summary>
    public long Sequence { get; }

    /// <summary>The snapshot handed to callers (not touched, not an alias); shared, never mutated.</summary>
    public SessionRecord Record { get; }

    /// <summary>The old ids that are grace aliases of this session.</summary>
    public string[] AliasIds { get; }

    /// <summary>True when the session is dead at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => Session.IsExpiredAt(now);

    /// <summary>A copy with the idle expiry moved to <paramref name="now"/>.</summary>
    public InMemorySessionState WithTouch(DateTimeOffset now) => new(Session.WithTouch(now), AliasIds, Sequence + 1);

    /// <summary>The record as a load returns it: flagged as touched and/or reached through a grace alias.</summary>
    public SessionRecord ToLoadResult(bool touched, bool viaAlias) =>
        !touched && !viaAlias ? Record : Session.ToRecord(touched, viaAlias, Sequence);
}
