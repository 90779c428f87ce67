using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Strategies;

namespace Stickless.Lab.Soak;

/// <summary>Which faults a soak rotates through for a strategy, and how its store keeps data.</summary>
internal static class SoakPlan
{
    /// <summary>
    /// The strategy's own faults, in the order a soak rotates through them: the store's faults and the node faults. Every
    /// one of them heals, or is healed by the soak (a killed process is started again before the next fault).
    /// </summary>
    public static IReadOnlyList<string> DefaultFaults(ILabStrategy strategy)
    {
        List<string> nodeFaults = [KillNodeFault.FaultName, PauseNodeFault.ShortName, RestartNodeFault.FaultName];
        return strategy switch
        {
            RedisHaStrategy => [KillMasterFault.FaultName, KillNodeFault.FaultName, PartitionMasterFault.FaultName, PauseMasterFault.FaultName, RestartNodeFault.FaultName, PauseNodeFault.ShortName],
            RedisClusterStrategy => [KillMasterFault.FaultName, .. nodeFaults],
            MemcachedStrategy => [KillStoreNodeFault.FaultName, StoreLinkFault.SlowStoreName, KillNodeFault.FaultName, PauseStoreNodeFault.FaultName, StoreLinkFault.BlackholeStoreName, RestartStoreNodeFault.FaultName],
            ReplicationStrategy { ProxiesPeerLinks: true } => [KillNodeFault.FaultName, PartitionPeersFault.FaultName, RestartNodeFault.FaultName, PauseNodeFault.LongName, PauseNodeFault.ShortName],
            ReplicationStrategy => [KillNodeFault.FaultName, RestartNodeFault.FaultName, PauseNodeFault.LongName, PauseNodeFault.ShortName],
            _ when strategy.StoreServices.Count > 0 =>
                [StoreLinkFault.SlowStoreName, KillNodeFault.FaultName, StoreLinkFault.BlackholeStoreName, RestartStoreFault.FaultName, PauseNodeFault.ShortName, RestartNodeFault.FaultName],
            _ => nodeFaults,
        };
    }

    /// <summary>
    /// The soak's persistence for a strategy that has the setting: AOF every second, under which a restart of the store
    /// loses nothing (a process crash), so that the soak can hold every fault to "nothing lost". Null otherwise.
    /// </summary>
    public static RedisPersistence? DefaultPersistence(ILabStrategy strategy) =>
        strategy.SupportsPersistence ? RedisPersistence.AofEverysec : null;
}
