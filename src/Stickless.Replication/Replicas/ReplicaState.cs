namespace Stickless.Replication.Replicas;

/// <summary>
/// What a node holds for one session id at one moment: the live session, or a tombstone that keeps the id dead
/// (deleted, expired, or renamed with an optional grace alias) until it could no longer come back. Immutable; a
/// change publishes a new state.
/// </summary>
internal sealed class ReplicaState
{
    /// <summary>The live session, or null for a tombstone.</summary>
    public StoredSession? Session { get; init; }

    /// <summary>This state's place in the session's history.</summary>
    public required ReplicaVersion Version { get; init; }

    /// <summary>The last version of the previous epoch this epoch began from (null in the first epoch): how a heal tells "newer" from "concurrent".</summary>
    public ReplicaVersion? ForkedFrom { get; init; }

    /// <summary>For a tombstone: when the id died.</summary>
    public DateTimeOffset DeletedAt { get; init; }

    /// <summary>For a tombstone: when it may be forgotten (the session's absolute expiry: no copy can be alive after it).</summary>
    public DateTimeOffset RetainUntil { get; init; }

    /// <summary>For a tombstone left by a rename: the new id.</summary>
    public string? RotatedTo { get; init; }

    /// <summary>For a rename tombstone: until when the old id still reaches the new one.</summary>
    public DateTimeOffset GraceUntil { get; init; }

    public bool IsTombstone => Session is null;

    /// <summary>A tombstone of this state at <paramref name="version"/>.</summary>
    public ReplicaState ToTombstone(ReplicaVersion version, DateTimeOffset now, DateTimeOffset minimumRetention, string? rotatedTo = null, DateTimeOffset graceUntil = default)
    {
        var retain = Session is { } session && session.AbsoluteExpiry > minimumRetention ? session.AbsoluteExpiry : minimumRetention;
        return new ReplicaState
        {
            Session = null,
            Version = version,
            ForkedFrom = version.SameEpoch(Version) ? ForkedFrom : Version,
            DeletedAt = now,
            RetainUntil = retain,
            RotatedTo = rotatedTo,
            GraceUntil = graceUntil,
        };
    }

    /// <summary>True when this state is <paramref name="other"/> or a later write of the same lineage.</summary>
    public bool Descends(ReplicaState other)
    {
        if (Version == other.Version)
        {
            return true;
        }

        if (Version.SameEpoch(other.Version))
        {
            return Version.Seq >= other.Version.Seq;
        }

        return ForkedFrom is { } fork && fork.SameEpoch(other.Version) && fork.Seq >= other.Version.Seq;
    }
}
