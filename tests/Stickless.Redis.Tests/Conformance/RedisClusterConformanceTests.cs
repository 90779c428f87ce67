using Stickless.Conformance;
using Stickless.Redis.Tests.Cluster;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Conformance;

/// <summary>DESIGN.md's rules on a Redis Cluster (three masters, one replica each).</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterConformanceTests(RedisClusterServers cluster) : SessionStoreConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() =>
        RedisConformanceStore.CreateAsync(cluster.Endpoints, new RedisRoundTripCounter(cluster.MastersAsync));
}

/// <summary>The commutative attribute operations on a Redis Cluster.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterAttributeOperationsConformanceTests(RedisClusterServers cluster) : AttributeOperationsConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() =>
        RedisConformanceStore.CreateAsync(cluster.Endpoints, new RedisRoundTripCounter(cluster.MastersAsync));
}

/// <summary>A cluster whose nodes wait a minute before they suspect each other, so that freezing all of them starts no failover.</summary>
public sealed class RedisPatientClusterServers : RedisClusterServers
{
    protected override int NodeTimeoutMs => 60_000;
}

/// <summary>Rule 6 on a Redis Cluster of its own: every node frozen, then thawed.</summary>
[Collection(FailoverCollection.Name)]
public sealed class RedisClusterOutageConformanceTests(RedisPatientClusterServers cluster) : StoreOutageConformanceTests, IClassFixture<RedisPatientClusterServers>
{
    protected override IStoreOutage Outage => RedisOutage.Of(cluster.Nodes, new RedisSessionStoreOptions().OperationTimeout);

    protected override Task<IConformanceStore> CreateStoreAsync() =>
        RedisConformanceStore.CreateAsync(cluster.Endpoints, new RedisRoundTripCounter(cluster.MastersAsync), RedisConformanceStore.OutageUnit);
}
