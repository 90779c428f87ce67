namespace Stickless.Replication.Membership;

/// <summary>What this node knows of one peer. Mutated only under the membership's lock.</summary>
internal sealed class PeerRecord(string nodeId)
{
    public string NodeId { get; } = nodeId;

    /// <summary>The incarnation last heard from, 0 before the first answer.</summary>
    public ulong Incarnation { get; set; }

    /// <summary>The status it last reported.</summary>
    public PeerStatus Status { get; set; } = PeerStatus.Joining;

    public PeerLiveness Liveness { get; set; } = PeerLiveness.Unknown;

    /// <summary>The membership clock's timestamp (<see cref="TimeProvider.GetTimestamp"/>) when it was last heard from.</summary>
    public long LastHeard { get; set; }

    /// <summary>True while an indirect probe of it is under way.</summary>
    public bool Probing { get; set; }
}
