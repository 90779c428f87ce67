namespace Stickless.Conformance;

/// <summary>
/// The time the suites work in. For a store on an injected <see cref="TimeProvider"/> it is a fake clock moved at once; for a
/// store on a server's clock it is real time, and the suites' timeouts are scaled by <see cref="Unit"/> so that a test waits
/// a few seconds, not minutes.
/// </summary>
public interface IConformanceClock
{
    /// <summary>Now, as an app node computes <see cref="SessionChangeSet.Now"/> and <see cref="SessionLoadOptions.Now"/>.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>
    /// The unit the suites express timeouts in: idle timeouts are a few units, and the store expires a session within one
    /// unit of its deadline. A fake clock can use a minute; a real clock must use at least the store's expiry granularity
    /// (memcached: a second or more).
    /// </summary>
    TimeSpan Unit { get; }

    /// <summary>Moves the clock forward by <paramref name="duration"/> (a fake clock), or waits that long (real time).</summary>
    ValueTask AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken);
}
