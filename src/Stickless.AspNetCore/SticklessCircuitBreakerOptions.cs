namespace Stickless.AspNetCore;

/// <summary>
/// The circuit breaker on store calls (Polly): while the store is known to be down, calls fail at once instead of each
/// waiting <see cref="SticklessOptions.StoreTimeout"/>, and a probe call lets it back in as soon as it answers.
/// </summary>
/// <remarks>
/// Keys (section <c>Stickless:CircuitBreaker</c>): <c>Enabled</c>, <c>FailureRatio</c>, <c>MinimumThroughput</c>,
/// <c>SamplingDuration</c>, <c>BreakDuration</c>. Only store failures count (<see cref="SessionStoreUnavailableException"/>,
/// timeouts included); a conflict, a missing session or a client that went away does not.
/// </remarks>
public sealed class SticklessCircuitBreakerOptions
{
    /// <summary>Whether store calls go through the breaker. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of failed calls within <see cref="SamplingDuration"/> that opens the circuit. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// The fewest calls within <see cref="SamplingDuration"/> before the ratio counts (at least 2). Default 2: with a store
    /// timeout of 2 s, a quiet site sees only a few calls per window, and two timed-out calls in a row already say the store
    /// is down; on a busy site the ratio decides.
    /// </summary>
    public int MinimumThroughput { get; set; } = 2;

    /// <summary>The window failures are counted over. Default 10 seconds.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open before one probe call may try the store again. Default 2 seconds.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        const string Section = "CircuitBreaker";
        if (FailureRatio is <= 0 or > 1 || double.IsNaN(FailureRatio))
        {
            errors.Add($"{Section}:{nameof(FailureRatio)} must be in (0, 1] (was {FailureRatio}).");
        }

        if (MinimumThroughput < 2)
        {
            errors.Add($"{Section}:{nameof(MinimumThroughput)} must be at least 2 (was {MinimumThroughput}).");
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500) || SamplingDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:{nameof(SamplingDuration)} must be between 0.5 s and 1 day (was {SamplingDuration}).");
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:{nameof(BreakDuration)} must be between 0.5 s and 1 day (was {BreakDuration}).");
        }
    }
}
