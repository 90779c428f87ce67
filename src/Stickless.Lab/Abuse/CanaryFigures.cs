namespace Stickless.Lab.Abuse;

/// <summary>What the real users saw while the abuse ran.</summary>
internal sealed record CanaryFigures
{
    /// <summary>Real users signed in, each with a canary.</summary>
    public int Users { get; init; }

    /// <summary>Secrets watched in every hostile answer (canaries, names, session ids).</summary>
    public int SecretsWatched { get; init; }

    /// <summary>Questions the real users asked (who am I, my canary, my wishlist, my counter).</summary>
    public long Checks { get; init; }

    /// <summary>Wrong answers: another user, a changed canary or wishlist, a counter out of step. Must be 0.</summary>
    public long Mismatches { get; init; }

    /// <summary>Failed answers (5xx, timeouts, unexpected 4xx).</summary>
    public long Errors { get; init; }

    /// <summary>The real users' 99th percentile latency while the abuse ran, in milliseconds.</summary>
    public double P99Ms { get; init; }

    /// <summary>Their median latency, in milliseconds.</summary>
    public double P50Ms { get; init; }

    /// <summary>Up to five mismatches and errors.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];
}
