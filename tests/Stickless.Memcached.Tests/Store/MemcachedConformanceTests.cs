using Stickless.Conformance;
using Stickless.Memcached.Tests.Infrastructure;

namespace Stickless.Memcached.Tests.Store;

/// <summary>DESIGN.md's rules against the memcached store, one copy per session (three nodes).</summary>
public sealed class MemcachedConformanceIntegrationTests(MemcachedCluster cluster) : SessionStoreConformanceTests, IClassFixture<MemcachedCluster>
{
    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(new MemcachedConformanceStore(cluster, backup: false));
}

/// <summary>DESIGN.md's rules against the memcached store with a backup copy on the next node.</summary>
public sealed class MemcachedBackupConformanceIntegrationTests(MemcachedCluster cluster) : SessionStoreConformanceTests, IClassFixture<MemcachedCluster>
{
    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(new MemcachedConformanceStore(cluster, backup: true));
}

/// <summary>The commutative attribute operations against the memcached store (with backup).</summary>
public sealed class MemcachedOperationsConformanceIntegrationTests(MemcachedCluster cluster) : AttributeOperationsConformanceTests, IClassFixture<MemcachedCluster>
{
    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(new MemcachedConformanceStore(cluster, backup: true));
}

/// <summary>Rule 6 against the memcached store: every server frozen.</summary>
public sealed class MemcachedOutageConformanceIntegrationTests(MemcachedCluster cluster) : StoreOutageConformanceTests, IClassFixture<MemcachedCluster>
{
    private MemcachedConformanceStore? _store;

    protected override IStoreOutage Outage => _store!;

    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(_store = new MemcachedConformanceStore(cluster, backup: false, TimeSpan.FromSeconds(1)));
}

/// <summary>Rule 6 against the memcached store with backups: every server frozen.</summary>
public sealed class MemcachedBackupOutageConformanceIntegrationTests(MemcachedCluster cluster) : StoreOutageConformanceTests, IClassFixture<MemcachedCluster>
{
    private MemcachedConformanceStore? _store;

    protected override IStoreOutage Outage => _store!;

    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(_store = new MemcachedConformanceStore(cluster, backup: true, TimeSpan.FromSeconds(1)));
}
