namespace Stickless.Replication.Membership;

/// <summary>What this node believes about a peer's process.</summary>
public enum PeerLiveness
{
    /// <summary>Never heard from since this node started.</summary>
    Unknown,

    /// <summary>Heard from within the suspicion time.</summary>
    Alive,

    /// <summary>Silent for longer than the suspicion time; other peers are asked to probe it.</summary>
    Suspect,

    /// <summary>Silent for longer than the failure time and unreachable by probes: out of the view.</summary>
    Dead,
}
