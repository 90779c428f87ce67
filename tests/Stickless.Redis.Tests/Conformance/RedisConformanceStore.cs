using Stickless.Conformance;

namespace Stickless.Redis.Tests.Conformance;

/// <summary>
/// A Redis deployment as the conformance suites see it: two store instances on the same servers (two app nodes), real
/// time (Redis expires sessions by its own clock; one unit is a second, so a loaded machine has a second of slack on
/// every expiry bound), and round trips counted by the servers' slow log (<see cref="RedisRoundTripCounter"/>).
/// </summary>
public sealed class RedisConformanceStore : IConformanceStore
{
    private readonly RedisSessionStore _a;
    private readonly RedisSessionStore _b;
    private readonly RedisRoundTripCounter _counter;

    private RedisConformanceStore(RedisSessionStore a, RedisSessionStore b, RedisRoundTripCounter counter, TimeSpan unit)
    {
        _a = a;
        _b = b;
        _counter = counter;
        Clock = new RealTimeConformanceClock(unit);
    }

    public ISessionStore NodeA => _a;

    public ISessionStore NodeB => _b;

    public IConformanceClock Clock { get; }

    /// <summary>Two started stores on <paramref name="configuration"/>; requests are counted on <paramref name="counter"/>'s servers.</summary>
    /// <param name="configuration">The connection string.</param>
    /// <param name="counter">Counts requests on the deployment's masters.</param>
    /// <param name="unit">
    /// The suites' time unit (sessions idle out after four): one second by default; the outage suite, which waits for
    /// no expiry but keeps the servers frozen for several operation timeouts, needs sessions that outlive that.
    /// </param>
    public static async Task<IConformanceStore> CreateAsync(string configuration, RedisRoundTripCounter counter, TimeSpan? unit = null)
    {
        await counter.StartAsync();
        // The outage suite measures the store's bound (the default 2 s); the others must not fail on a machine so loaded
        // that a call takes longer than that, so they give each call 10 s.
        var operationTimeout = unit == OutageUnit ? new RedisSessionStoreOptions().OperationTimeout : TimeSpan.FromSeconds(10);
        return new RedisConformanceStore(await StartAsync(configuration, operationTimeout), await StartAsync(configuration, operationTimeout), counter, unit ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>The unit for <see cref="Stickless.Conformance.StoreOutageConformanceTests"/>: sessions idle out after 40 s, long after the frozen calls.</summary>
    public static TimeSpan OutageUnit => TimeSpan.FromSeconds(10);

    public async ValueTask<long> CountRoundTripsAsync(CancellationToken cancellationToken) => await _counter.CountAsync();

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static async Task<RedisSessionStore> StartAsync(string configuration, TimeSpan operationTimeout)
    {
        // No sweeper: the rules do not need it (Redis expires sessions; readers prune the index), and its lock and scans
        // would be counted as round trips.
        var options = new RedisSessionStoreOptions { Configuration = configuration, SweepInterval = TimeSpan.Zero, OperationTimeout = operationTimeout };
        var store = new RedisSessionStore(options);
        await store.StartAsync(CancellationToken.None);
        return store;
    }
}
