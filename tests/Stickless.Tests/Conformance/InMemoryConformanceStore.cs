using Stickless.Conformance;

namespace Stickless.Tests.Conformance;

/// <summary>The in-memory store under the conformance suites: one store (both "nodes" are the same process) on a manual clock.</summary>
public sealed class InMemoryConformanceStore : IConformanceStore, IConformanceClock
{
    private readonly ManualTimeProvider _time = new();
    private readonly InMemorySessionStore _store;

    public InMemoryConformanceStore()
    {
        _store = new InMemorySessionStore(_time, SessionEventPublisher.None);
        _store.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The store's clock (a near cache over it judges staleness by the same one).</summary>
    public TimeProvider Time => _time;

    public ISessionStore NodeA => _store;

    public ISessionStore NodeB => _store;

    public IConformanceClock Clock => this;

    public DateTimeOffset UtcNow => _time.GetUtcNow();

    public TimeSpan Unit => TimeSpan.FromMinutes(1);

    public ValueTask AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        _time.Advance(duration);
        return ValueTask.CompletedTask;
    }

    // Sessions live in this process: no request ever leaves it.
    public ValueTask<long> CountRoundTripsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(0L);

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        return ValueTask.CompletedTask;
    }
}
