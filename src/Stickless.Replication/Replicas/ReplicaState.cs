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

    /// <summary>
    /// True when the state only begins an epoch (a new owner took the session over and wrote nothing yet: sequence 0):
    /// its content is that of <see cref="ForkedFrom"/>.
    /// </summary>
    public bool IsTakeOverOnly => Version.Seq == 0 && ForkedFrom is not null;

    /// <summary>The version whose content this state holds: <see cref="ForkedFrom"/> for a take-over, else <see cref="Version"/>.</summary>
    public ReplicaVersion ContentVersion => IsTakeOverOnly ? ForkedFrom!.Value : Version;

    /// <summary>True when this state holds <paramref name="other"/>'s content or a later write of the same lineage.</summary>
    public bool Descends(ReplicaState other)
    {
        var theirs = other.ContentVersion;
        if (Version == other.Version || ContentVersion == theirs)
        {
            return true;
        }

        if (Version.SameEpoch(theirs))
        {
            return Version.Seq >= theirs.Seq;
        }

        return ForkedFrom is { } fork && fork.SameEpoch(theirs) && fork.Seq >= theirs.Seq;
    }
}
