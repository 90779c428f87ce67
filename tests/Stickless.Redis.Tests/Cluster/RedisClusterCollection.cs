namespace Stickless.Redis.Tests.Cluster;

/// <summary>The test classes that share one cluster (<see cref="RedisClusterServers"/>); they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterServers>
{
    public const string Name = "Redis Cluster";
}
