using Stickless.Lab.Deployment.Strategies;

namespace Stickless.Lab.Deployment;

/// <summary>The strategies the lab knows, by name. A new store adds one line here (or calls <see cref="Register"/>).</summary>
internal static class LabStrategies
{
    private static readonly Lock Sync = new();
    private static readonly List<ILabStrategy> Registered =
    [
        InMemoryStrategy.Local,
        InMemoryStrategy.Sticky,
        new RedisStrategy(),
        new RedisHaStrategy("redis-ha"),
        new RedisHaStrategy("redis-ha-wait", waitReplicas: 1),
        new RedisHaStrategy("redis-ha-no-min-replicas", minReplicasToWrite: null),
        new RedisClusterStrategy(),
        new MemcachedStrategy(backup: false),
        new MemcachedStrategy(backup: true),
        new AspNetCoreRedisStrategy(),
        new ExpressRedisStrategy(),
        ReplicationStrategy.AllToAll,
        ReplicationStrategy.PrimaryBackup,
        ReplicationStrategy.AllToAllOwnerRouted,
        ReplicationStrategy.PrimaryBackupOwnerRouted,
        ReplicationStrategy.PrimaryBackupAsync,
        ReplicationStrategy.PrimaryBackupProxied,
        ReplicationStrategy.AllToAllProxied,
        ReplicationStrategy.PrimaryBackupQuorum,
    ];

    /// <summary>Every strategy, in registration order.</summary>
    public static IReadOnlyList<ILabStrategy> All
    {
        get
        {
            lock (Sync)
            {
                return [.. Registered];
            }
        }
    }

    /// <summary>The names of the strategies that declare store links (<see cref="ILabStrategy.StoreServices"/>), for error messages.</summary>
    public static string WithStoreLinks => string.Join(", ", All.Where(static s => s.StoreServices.Count > 0).Select(static s => s.Name));

    /// <summary>The names, for usage text.</summary>
    public static string Names => string.Join('|', All.Select(s => s.Name));

    /// <summary>Adds a strategy (replacing one of the same name).</summary>
    public static void Register(ILabStrategy strategy)
    {
        lock (Sync)
        {
            Registered.RemoveAll(s => string.Equals(s.Name, strategy.Name, StringComparison.OrdinalIgnoreCase));
            Registered.Add(strategy);
        }
    }

    /// <summary>The strategy named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="LabException">No such strategy; the message lists the known ones.</exception>
    public static ILabStrategy Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new LabException($"unknown strategy '{name}'; known: {Names}.");
}
