namespace Stickless.Replication.Membership;

/// <summary>What a node says about itself in every heartbeat.</summary>
public enum PeerStatus : byte
{
    /// <summary>Started (or resumed after a long pause) and receiving its state; owns nothing, serves nothing.</summary>
    Joining = 1,

    /// <summary>Holds its state: owns and backs up sessions, serves requests.</summary>
    Ready = 2,

    /// <summary>Shutting down: hands its sessions over and should be left out of placement at once.</summary>
    Leaving = 3,
}
