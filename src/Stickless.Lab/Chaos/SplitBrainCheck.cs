namespace Stickless.Lab.Chaos;

/// <summary>
/// What the lab's probe session saw through a node on the cut-off master's side of a <c>partition-master</c>: the writes
/// that node acknowledged while the partition held, how long it kept acknowledging them, and how many of them the
/// cluster still had after the heal.
/// </summary>
internal sealed record SplitBrainCheck
{
    /// <summary>The nodes left on the master's side (with 3 nodes: node1).</summary>
    public IReadOnlyList<string> MinorityNodes { get; init; } = [];

    /// <summary>Counter increments the probe sent to a minority node while the partition held.</summary>
    public int WritesTried { get; init; }

    /// <summary>Of those, the ones answered 200 (acknowledged).</summary>
    public int WritesAcknowledged { get; init; }

    /// <summary>Seconds from the cut to the last acknowledged one (0 when none was).</summary>
    public double LastAcknowledgedAfterSeconds { get; init; }

    /// <summary>Acknowledged increments missing from the counter after the heal (the cut-off master's writes the failover discarded).</summary>
    public long AcknowledgedWritesLost { get; init; }

    /// <summary>Seconds from the heal until the old master was a replica of the new one, in sync; null when it never was within the bound.</summary>
    public double? OldMasterRejoinedAfterSeconds { get; init; }

    /// <summary>Connections the routed fronts could not attribute to a process (routed as the lab's own; they were not cut).</summary>
    public long UnattributedConnections { get; init; }
}
