namespace Stickless.Replication;

/// <summary>When a commit answers, relative to its copies.</summary>
public enum ReplicationAcknowledgement
{
    /// <summary>After every copy was applied (the backup, or every peer in AllToAll): an acknowledged write survives one node's death.</summary>
    Sync,

    /// <summary>At once; the copies follow in order on a queue per peer: the writes in flight die with their owner.</summary>
    Async,
}
