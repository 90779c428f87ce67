using Stickless.Replication.Membership;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

/// <summary>
/// One node's replication figures since it started, exact (counted where they happen): what it holds, the writes it
/// ordered, the calls it forwarded, and every peer frame by type. The lab reads them from every node to compute bytes
/// and messages per write and memory per node.
/// </summary>
public sealed record ReplicationStatistics
{
    /// <summary>The node.</summary>
    public required string NodeId { get; init; }

    /// <summary>AllToAll or PrimaryBackup.</summary>
    public required string Mode { get; init; }

    /// <summary>Sync or Async.</summary>
    public required string Ack { get; init; }

    /// <summary>Joining, Ready or Leaving.</summary>
    public required PeerStatus Status { get; init; }

    /// <summary>Live sessions held (owned, backed up or replicated).</summary>
    public long SessionsHeld { get; init; }

    /// <summary>Bytes of those sessions (names, values and fixed fields).</summary>
    public long BytesHeld { get; init; }

    /// <summary>Tombstones held (deleted, expired or renamed ids kept dead).</summary>
    public long Tombstones { get; init; }

    /// <summary>Writes (commits, touches, deletes, expiries) this node applied as owner.</summary>
    public long Writes { get; init; }

    /// <summary>Loads served from the local copy (AllToAll, or the owner's own).</summary>
    public long LocalLoads { get; init; }

    /// <summary>Loads sent to the owner.</summary>
    public long ForwardedLoads { get; init; }

    /// <summary>Total seconds of the forwarded loads.</summary>
    public double ForwardedLoadSeconds { get; init; }

    /// <summary>Commits sent to the owner.</summary>
    public long ForwardedCommits { get; init; }

    /// <summary>Sessions written on both sides of a partition (found at a heal).</summary>
    public long Conflicts { get; init; }

    /// <summary>Sessions alive on one side and deleted on the other at a heal: the delete won.</summary>
    public long DeletesWon { get; init; }

    /// <summary>Copies that did not reach a replica.</summary>
    public long CopyFailures { get; init; }

    /// <summary>Peer frames by type and direction.</summary>
    public IReadOnlyList<PeerTrafficTotal> Traffic { get; init; } = [];
}
