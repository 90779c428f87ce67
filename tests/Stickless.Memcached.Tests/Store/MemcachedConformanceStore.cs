using Stickless.Conformance;
using Stickless.Memcached.Tests.Infrastructure;

namespace Stickless.Memcached.Tests.Store;

/// <summary>
/// The memcached store under the conformance suites: two store instances (two app nodes) on the same three servers, real
/// time (memcached's clock cannot be moved), and the servers' own request counts.
/// </summary>
public sealed class MemcachedConformanceStore : IConformanceStore, IStoreOutage
{
    public const string TestHashKey = "conformance-hash-key-0123456789abcdef";

    private readonly MemcachedCluster _cluster;
    private readonly MemcachedSessionStore _a;
    private readonly MemcachedSessionStore _b;

    public MemcachedConformanceStore(MemcachedCluster cluster, bool backup, TimeSpan? operationTimeout = null)
    {
        _cluster = cluster;

        // The due touch rewrites the item behind the load: a compare-and-set on the primary; with a backup, then a version
        // probe and a compare-and-set on the backup.
        TouchWriteBehindRequests = backup ? 3 : 1;
        CallBound = operationTimeout ?? TimeSpan.FromSeconds(2);
        _a = new MemcachedSessionStore(Options(cluster, backup, CallBound));
        _b = new MemcachedSessionStore(Options(cluster, backup, CallBound));
    }

    public ISessionStore NodeA => _a;

    public ISessionStore NodeB => _b;

    // Two seconds a unit: memcached counts TTLs in whole seconds and may expire an item up to a second early.
    public IConformanceClock Clock { get; } = new RealTimeConformanceClock(TimeSpan.FromSeconds(2));

    public TimeSpan CallBound { get; }

    public int TouchWriteBehindRequests { get; }

    public static MemcachedSessionStoreOptions Options(MemcachedCluster cluster, bool backup, TimeSpan operationTimeout) => new()
    {
        Servers = cluster.Addresses,
        Backup = backup,
        HashKey = TestHashKey,
        OperationTimeout = operationTimeout,
        ConnectTimeout = operationTimeout,
        ProbeInterval = TimeSpan.FromMilliseconds(100),
    };

    public async ValueTask<long> CountRoundTripsAsync(CancellationToken cancellationToken) => await _cluster.CountRequestsAsync();

    public ValueTask PauseAsync(CancellationToken cancellationToken)
    {
        foreach (var server in _cluster.Servers)
        {
            server.Pause();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var server in _cluster.Servers)
        {
            server.Resume();
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }
}
