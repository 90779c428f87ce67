using Stickless.Replication.Membership;

namespace Stickless.Replication.Placement;

/// <summary>Where a mode keeps the copies of a session, given a view. The owner is always rank 1 of the Ready nodes.</summary>
internal interface IReplicationTopology
{
    /// <summary>True when every node reads its own copy (AllToAll); false when non-owners ask the owner (PrimaryBackup).</summary>
    bool ReadsLocally { get; }

    /// <summary>The nodes, other than <paramref name="self"/>, that must hold a copy of <paramref name="sessionId"/> (joining nodes included).</summary>
    IReadOnlyList<string> CopyTargets(string sessionId, ClusterView view, string self);

    /// <summary>True when <paramref name="node"/> should hold a copy of <paramref name="sessionId"/> in <paramref name="view"/>, counting it as Ready.</summary>
    bool Holds(string sessionId, ClusterView view, string node);
}
