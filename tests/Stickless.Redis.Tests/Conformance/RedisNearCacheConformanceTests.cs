using Stickless.Conformance;
using Stickless.Redis.Tests.Cluster;
using Stickless.Redis.Tests.Infrastructure;
using Stickless.Redis.Tests.Sentinel;
using Stickless.Redis.Tests.Store;

namespace Stickless.Redis.Tests.Conformance;

// DESIGN.md's rules with the near cache on: two app nodes, each a NearCacheSessionStore of its own over its own
// RedisSessionStore, hearing each other's writes only through the invalidation channel (see NearCacheConformanceStore).

/// <summary>The rules on one redis-server, near cache on.</summary>
public sealed class RedisStandaloneNearCacheConformanceTests(RedisStoreServer server) : SessionStoreConformanceTests, IClassFixture<RedisStoreServer>
{
    protected override async Task<IConformanceStore> CreateStoreAsync() =>
        await NearCacheConformanceStore.CreateAsync(await RedisConformanceStore.CreateAsync(server.Configuration, Standalone(server)), TimeProvider.System);

    internal static RedisRoundTripCounter Standalone(RedisStoreServer server) =>
        new(() => Task.FromResult<IReadOnlyList<RedisServer>>([server.Server]));
}

/// <summary>The commutative attribute operations on one redis-server, near cache on.</summary>
public sealed class RedisStandaloneNearCacheAttributeOperationsConformanceTests(RedisStoreServer server) : AttributeOperationsConformanceTests, IClassFixture<RedisStoreServer>
{
    protected override async Task<IConformanceStore> CreateStoreAsync() =>
        await NearCacheConformanceStore.CreateAsync(await RedisConformanceStore.CreateAsync(server.Configuration, RedisStandaloneNearCacheConformanceTests.Standalone(server)), TimeProvider.System);
}

/// <summary>Rule 6 on one redis-server, near cache on: a frozen server fails every call that needs it within the bound.</summary>
public sealed class RedisStandaloneNearCacheOutageConformanceTests(RedisStoreServer server) : StoreOutageConformanceTests, IClassFixture<RedisStoreServer>
{
    protected override IStoreOutage Outage => RedisOutage.Of([server.Server], new RedisSessionStoreOptions().OperationTimeout);

    protected override async Task<IConformanceStore> CreateStoreAsync() =>
        await NearCacheConformanceStore.CreateAsync(
            await RedisConformanceStore.CreateAsync(server.Configuration, RedisStandaloneNearCacheConformanceTests.Standalone(server), RedisConformanceStore.OutageUnit),
            TimeProvider.System);
}

/// <summary>The rules through Sentinel, near cache on.</summary>
[Collection(SentinelSteadyCollection.Name)]
public sealed class RedisSentinelNearCacheConformanceTests(SentinelDeployment deployment) : SessionStoreConformanceTests
{
    protected override async Task<IConformanceStore> CreateStoreAsync() =>
        await NearCacheConformanceStore.CreateAsync(await SentinelConformance.CreateAsync(deployment), TimeProvider.System);
}

/// <summary>The rules on a Redis Cluster, near cache on (the scripts' PUBLISH reaches every node over the cluster bus).</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterNearCacheConformanceTests(RedisClusterServers cluster) : SessionStoreConformanceTests
{
    protected override async Task<IConformanceStore> CreateStoreAsync() =>
        await NearCacheConformanceStore.CreateAsync(
            await RedisConformanceStore.CreateAsync(cluster.Endpoints, new RedisRoundTripCounter(cluster.MastersAsync)),
            TimeProvider.System);
}

/// <summary>The commutative attribute operations on a Redis Cluster, near cache on.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterNearCacheAttributeOperationsConformanceTests(RedisClusterServers cluster) : AttributeOperationsConformanceTests
{
    protected override async Task<IConformanceStore> CreateStoreAsync() =>
        await NearCacheConformanceStore.CreateAsync(
            await RedisConformanceStore.CreateAsync(cluster.Endpoints, new RedisRoundTripCounter(cluster.MastersAsync)),
            TimeProvider.System);
}
