namespace Stickless.Replication.Transport;

/// <summary>The kinds of peer message; the byte after the version byte of every frame. Requests are below 128, answers 128 and up.</summary>
internal enum PeerMessageType : byte
{
    /// <summary>Heartbeat: the sender's state. Answered by <see cref="Pong"/>.</summary>
    Ping = 1,

    /// <summary>Asks the receiver to ping a suspect node on the sender's behalf (indirect probe). Answered by <see cref="ProbeResult"/>.</summary>
    ProbeRequest = 2,

    /// <summary>A non-owner's load, forwarded to the owner (touch included). Answered by <see cref="LoadResult"/>.</summary>
    Load = 3,

    /// <summary>A non-owner's change set, forwarded to the owner. Answered by <see cref="CommitResult"/>.</summary>
    Commit = 4,

    /// <summary>A non-owner's delete, forwarded to the owner. Answered by <see cref="DeleteResult"/>.</summary>
    Delete = 5,

    /// <summary>The owner's copy of one or more sessions (a delta, a full state or a tombstone). Answered by <see cref="ReplicateResult"/>.</summary>
    Replicate = 6,

    /// <summary>Lists the sessions of a principal held by the receiver. Answered by <see cref="PrincipalResult"/>.</summary>
    FindByPrincipal = 7,

    /// <summary>Asks for a chunk of the sessions the receiver owns and the sender should hold (state transfer, heal). Answered by <see cref="TransferChunk"/>.</summary>
    TransferRequest = 8,

    /// <summary>Creates a session under a new id at its owner (the second half of an id rotation). Answered by <see cref="CommitResult"/>.</summary>
    Install = 9,

    /// <summary>Asks for the receiver's replication figures (the lab). Answered by <see cref="StatsResult"/>.</summary>
    Stats = 10,

    /// <summary>Copies sent because the view changed (a new owner's epoch, a new backup, a hand-over), not because of a write. Answered by <see cref="ReplicateResult"/>.</summary>
    Rebalance = 11,

    /// <summary>Asks whether the receiver holds a live copy of a session (a would-be owner checking before it answers "no such session"). Answered by <see cref="HoldsResult"/>.</summary>
    Holds = 12,

    /// <summary>Answer to <see cref="Ping"/>.</summary>
    Pong = 129,

    /// <summary>Answer to <see cref="ProbeRequest"/>.</summary>
    ProbeResult = 130,

    /// <summary>Answer to <see cref="Load"/>.</summary>
    LoadResult = 131,

    /// <summary>Answer to <see cref="Commit"/> and <see cref="Install"/>.</summary>
    CommitResult = 132,

    /// <summary>Answer to <see cref="Delete"/>.</summary>
    DeleteResult = 133,

    /// <summary>Answer to <see cref="Replicate"/>.</summary>
    ReplicateResult = 134,

    /// <summary>Answer to <see cref="FindByPrincipal"/>.</summary>
    PrincipalResult = 135,

    /// <summary>Answer to <see cref="TransferRequest"/>.</summary>
    TransferChunk = 136,

    /// <summary>Answer to <see cref="Holds"/>.</summary>
    HoldsResult = 140,

    /// <summary>Answer to <see cref="Stats"/>.</summary>
    StatsResult = 138,

    /// <summary>Answer to any request the receiver refused (not ready, not the owner, bad body): a reason code and a hint.</summary>
    Refused = 200,
}
