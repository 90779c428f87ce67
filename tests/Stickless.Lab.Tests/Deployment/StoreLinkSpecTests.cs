using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>What a deployment refuses before it starts anything: store options a strategy cannot honour.</summary>
public sealed class StoreLinkSpecTests
{
    [Fact]
    public async Task StartAsync_ProxyStoreLinksOnAStrategyWithoutStoreLinks_SaysWhichStrategiesHaveThem()
    {
        var spec = new DeploymentSpec("sticky", 2, Path.Combine(Path.GetTempPath(), "never-created")) { ProxyStoreLinks = true };

        var error = await Assert.ThrowsAsync<LabException>(() => LabDeployment.StartAsync(spec, new LabTestLog(), CancellationToken.None));

        Assert.Contains("sticky", error.Message, StringComparison.Ordinal);
        Assert.Contains("redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("memcached-backup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PersistenceOnAStrategyWithoutIt_IsRefused()
    {
        var spec = new DeploymentSpec("memcached", 2, Path.Combine(Path.GetTempPath(), "never-created")) { Persistence = RedisPersistence.AofAlways };

        var error = await Assert.ThrowsAsync<LabException>(() => LabDeployment.StartAsync(spec, new LabTestLog(), CancellationToken.None));

        Assert.Contains("--persistence aof-always", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreServices_StoreStrategies_NameTheServicesTheirNodesReach()
    {
        Assert.Equal(["redis"], LabStrategies.Get("redis").StoreServices);
        Assert.Equal(["memcached1", "memcached2", "memcached3"], LabStrategies.Get("memcached-backup").StoreServices);
        Assert.Empty(LabStrategies.Get("sticky").StoreServices);
        Assert.True(LabStrategies.Get("redis").SupportsPersistence);
        Assert.False(LabStrategies.Get("memcached").SupportsPersistence);
    }
}
