using Stickless.Conformance;
using Stickless.Redis.Tests.Infrastructure;
using Stickless.Redis.Tests.Sentinel;

namespace Stickless.Redis.Tests.Conformance;

/// <summary>DESIGN.md's rules through Sentinel (a master, a replica, three sentinels).</summary>
[Collection(SentinelSteadyCollection.Name)]
public sealed class RedisSentinelConformanceTests(SentinelDeployment deployment) : SessionStoreConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => SentinelConformance.CreateAsync(deployment);
}

/// <summary>The commutative attribute operations through Sentinel.</summary>
[Collection(SentinelSteadyCollection.Name)]
public sealed class RedisSentinelAttributeOperationsConformanceTests(SentinelDeployment deployment) : AttributeOperationsConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => SentinelConformance.CreateAsync(deployment);
}

/// <summary>
/// Rule 6 through Sentinel, on a deployment of its own: master, replica and sentinels frozen together (so no failover
/// starts: a sentinel that wakes from a freeze enters TILT and waits before it acts), then thawed.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class RedisSentinelOutageConformanceTests(SentinelDeployment deployment) : StoreOutageConformanceTests, IClassFixture<SentinelDeployment>
{
    protected override IStoreOutage Outage => new RedisOutage(
        [.. deployment.Nodes.Select(n => ((Action)n.Pause, (Action)n.Resume)), .. deployment.Sentinels.Select(s => ((Action)s.Pause, (Action)s.Resume))],
        new RedisSessionStoreOptions().OperationTimeout);

    protected override Task<IConformanceStore> CreateStoreAsync() => SentinelConformance.CreateAsync(deployment, RedisConformanceStore.OutageUnit);
}

internal static class SentinelConformance
{
    public static async Task<IConformanceStore> CreateAsync(SentinelDeployment deployment, TimeSpan? unit = null)
    {
        await deployment.WaitUntilHealthyAsync();
        return await RedisConformanceStore.CreateAsync(deployment.Configuration, new RedisRoundTripCounter(async () => [await deployment.MasterAsync()]), unit);
    }
}
