namespace Stickless.Replication;

/// <summary>Where the copies of a session live.</summary>
public enum ReplicationMode
{
    /// <summary>One owner and one backup hold each session; the other nodes fetch it from the owner on demand.</summary>
    PrimaryBackup,

    /// <summary>Every node holds every session; the owner still orders each session's writes.</summary>
    AllToAll,
}
