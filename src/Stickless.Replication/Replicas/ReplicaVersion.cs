namespace Stickless.Replication.Replicas;

/// <summary>
/// The place of one state of a session in its history: the epoch (which grows when ownership moves, tagged with the
/// node that began it) and the write number inside the epoch. Ordered by epoch number, then epoch owner, then sequence.
/// </summary>
/// <param name="Epoch">Begun at 1 by the creating owner; a new owner takes the highest epoch it knows plus one.</param>
/// <param name="EpochOwner">The node id that began the epoch (two sides of a partition never share an epoch).</param>
/// <param name="Seq">The write number inside the epoch, from 1.</param>
internal readonly record struct ReplicaVersion(long Epoch, string EpochOwner, long Seq) : IComparable<ReplicaVersion>
{
    /// <summary>True when both are writes of the same epoch.</summary>
    public bool SameEpoch(ReplicaVersion other) => Epoch == other.Epoch && string.Equals(EpochOwner, other.EpochOwner, StringComparison.Ordinal);

    /// <summary>The next write of this epoch.</summary>
    public ReplicaVersion Next() => this with { Seq = Seq + 1 };

    public int CompareTo(ReplicaVersion other)
    {
        var byEpoch = Epoch.CompareTo(other.Epoch);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        var byOwner = string.CompareOrdinal(EpochOwner, other.EpochOwner);
        return byOwner != 0 ? byOwner : Seq.CompareTo(other.Seq);
    }

    public static bool operator <(ReplicaVersion left, ReplicaVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ReplicaVersion left, ReplicaVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ReplicaVersion left, ReplicaVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ReplicaVersion left, ReplicaVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Epoch}@{EpochOwner}:{Seq}";
}
