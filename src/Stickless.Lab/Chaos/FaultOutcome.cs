namespace Stickless.Lab.Chaos;

/// <summary>What a fault did.</summary>
/// <param name="Target">What it hit: a node's or a service's name.</param>
/// <param name="Detail">One sentence for the report ("SIGKILL festa-2 (pid 4242), …").</param>
/// <param name="UsersOnTarget">Signed-in users the target was serving when hit, when that is known.</param>
internal sealed record FaultOutcome(string Target, string Detail, int? UsersOnTarget = null)
{
    /// <summary>For a store fault: seconds from the fault until the failover machinery named a new master; null when none took over.</summary>
    public double? FailoverSeconds { get; init; }

    /// <summary>For a store fault: the server that took over, or null.</summary>
    public string? Successor { get; init; }

    /// <summary>For <c>kill-lagging-master</c>: seconds the replicas were stopped before the master was killed; null otherwise.</summary>
    public double? LagSeconds { get; init; }

    /// <summary>For <c>kill-lagging-master</c>: bytes of the old master's replication stream its successor never received; null when unknown.</summary>
    public long? ReplicationBytesLost { get; init; }

    /// <summary>
    /// For a fault that lasts and ends by itself: how long it held, in seconds (a link fault until healed; a store restart
    /// until the store answered again). The report measures the requests of that window. Null for instant faults.
    /// </summary>
    public double? HeldSeconds { get; init; }

    /// <summary>For a store link fault: how many links it hit (one per node and store service).</summary>
    public int? LinksHit { get; init; }

    /// <summary>For <c>restart-store</c>: seconds from the SIGKILL until the restarted store answered.</summary>
    public double? RestartSeconds { get; init; }

    /// <summary>For <c>restart-store</c>: sessions the store held just before the SIGKILL.</summary>
    public long? StoredSessionsBefore { get; init; }

    /// <summary>For <c>restart-store</c>: sessions the store held once restarted from its files.</summary>
    public long? StoredSessionsAfter { get; init; }

    /// <summary>For <c>partition-master</c>: seconds the cut-off master kept acknowledging writes after the cut; null otherwise.</summary>
    public double? MinorityWritesAcceptedSeconds { get; init; }

    /// <summary>For <c>partition-master</c>: what the probe saw on the master's side; null otherwise.</summary>
    public SplitBrainCheck? SplitBrain { get; init; }

    /// <summary>For <c>partition-peers</c>: what the lab's probe sessions showed across the cut and after the heal; null otherwise.</summary>
    public HealCheck? Heal { get; init; }

    /// <summary>For <c>restart-store</c> on Redis with RDB snapshots: changes not yet in a snapshot at the SIGKILL (<c>rdb_changes_since_last_save</c>).</summary>
    public long? ChangesSinceLastSave { get; init; }
}
