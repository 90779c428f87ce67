using Stickless.Conformance;
using Stickless.Replication.Tests.Infrastructure;

namespace Stickless.Replication.Tests.Conformance;

/// <summary>Two peers on loopback Kestrel servers: node A is the first peer, node B the second; the session clock is moved by hand.</summary>
public sealed class ReplicationConformanceStore : IConformanceStore, IConformanceClock
{
    private readonly ManualClock _clock;
    private readonly ReplicationCluster _cluster;

    private ReplicationConformanceStore(ManualClock clock, ReplicationCluster cluster)
    {
        _clock = clock;
        _cluster = cluster;
    }

    public static async Task<IConformanceStore> StartAsync(ReplicationMode mode)
    {
        var clock = new ManualClock();
        return new ReplicationConformanceStore(clock, await ReplicationCluster.StartAsync(2, mode, clock));
    }

    public ISessionStore NodeA => _cluster.Nodes[0]!;

    public ISessionStore NodeB => _cluster.Nodes[1]!;

    public IConformanceClock Clock => this;

    public DateTimeOffset UtcNow => _clock.GetUtcNow();

    public TimeSpan Unit => TimeSpan.FromMinutes(1);

    public ValueTask AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        _clock.Advance(duration);
        return ValueTask.CompletedTask;
    }

    // An app node's calls that reach another peer (a forwarded load, commit, delete, list); the owner's copies to its
    // backup are the store's own work, not the request's round trips.
    public ValueTask<long> CountRoundTripsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_cluster.ForwardedRequests());

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
