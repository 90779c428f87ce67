namespace Stickless.Lab.Deployment;

/// <summary>
/// A strategy whose store is Redis with automatic failover (Sentinel, Cluster). The faults <c>kill-master</c> and
/// <c>pause-master</c> ask it which server is a master at the moment they strike, and when another one has taken
/// over; the bench records its durability setting beside the figures.
/// </summary>
internal interface IRedisFailoverTopology
{
    /// <summary>How long a master may stay silent before it is judged down (Sentinel's <c>down-after-milliseconds</c>, Cluster's <c>cluster-node-timeout</c>).</summary>
    TimeSpan DownAfter { get; }

    /// <summary>Replicas each commit waits for (Redis <c>WAIT</c>); null when commits do not wait.</summary>
    int? WaitReplicas { get; }

    /// <summary>A master now, as the failover machinery sees it (Sentinel: the one the sentinels name; Cluster: the master holding the most keys).</summary>
    /// <exception cref="LabException">No server answers as master.</exception>
    Task<RedisMaster> FindMasterAsync(IReadOnlyList<LabService> services, CancellationToken cancellationToken);

    /// <summary>The server that now serves in place of <paramref name="master"/>, or null while nobody has taken over.</summary>
    Task<LabService?> FindSuccessorAsync(IReadOnlyList<LabService> services, RedisMaster master, CancellationToken cancellationToken);
}
