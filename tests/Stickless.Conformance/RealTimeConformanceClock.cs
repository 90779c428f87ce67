namespace Stickless.Conformance;

/// <summary>Real time, for stores that expire sessions by a server's clock: <see cref="AdvanceAsync"/> waits.</summary>
/// <param name="unit">The unit of the suites' timeouts (at least the store's expiry granularity).</param>
public sealed class RealTimeConformanceClock(TimeSpan unit) : IConformanceClock
{
    /// <inheritdoc />
    public DateTimeOffset UtcNow => TimeProvider.System.GetUtcNow();

    /// <inheritdoc />
    public TimeSpan Unit { get; } = unit;

    /// <inheritdoc />
    // Waiting is the point here: the store's server expires the session by its own clock, which a test cannot move.
    public async ValueTask AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
}
