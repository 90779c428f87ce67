namespace Stickless.Conformance;

/// <summary>
/// A store under test, as the conformance suites see it: the same sessions reached from two app nodes, the store's clock,
/// and the store server's own count of requests. A derived suite creates one per test and disposes it after.
/// </summary>
public interface IConformanceStore : IAsyncDisposable
{
    /// <summary>The store as one app node sees it.</summary>
    ISessionStore NodeA { get; }

    /// <summary>
    /// The same sessions as a second app node sees them: a second store instance on the same servers, or another peer. For a
    /// store that cannot be shared (in-memory), the same instance as <see cref="NodeA"/>.
    /// </summary>
    ISessionStore NodeB { get; }

    /// <summary>The clock the store expires sessions by.</summary>
    IConformanceClock Clock { get; }

    /// <summary>
    /// How many requests the store's servers have received from both nodes so far, counted by the servers themselves
    /// (Redis <c>INFO commandstats</c>, memcached <c>stats</c>, peer messages); 0 for a store in the app's own memory. The
    /// suites compare two readings around one call.
    /// </summary>
    ValueTask<long> CountRoundTripsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The requests a due touch writes behind the load, after the load has answered, without the request waiting for them
    /// (memcached cannot read an item and conditionally rewrite it in one command); 0 where the touch is part of the load's
    /// one round trip. Rule 1 allows these and no more.
    /// </summary>
    int TouchWriteBehindRequests => 0;
}
