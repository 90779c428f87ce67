namespace Stickless.AspNetCore;

/// <summary>
/// Stickless settings for ASP.NET Core: the store-independent <see cref="SticklessOptions"/> plus the
/// cookie, the optional id header and the failure policy. Bound from configuration by
/// <c>AddStickless(section)</c> (keys as the properties are named: <c>Cookie:Name</c>, <c>FailurePolicy</c>, ...) and
/// validated at start-up, with every error listed.
/// </summary>
public sealed class SticklessHttpOptions : SticklessOptions
{
    /// <summary>The session cookie.</summary>
    public SticklessCookieOptions Cookie { get; } = new();

    /// <summary>
    /// The request/response header that carries the id for API clients (for example <c>X-Session-Id</c>).
    /// Default null: off. When set, the header is read before the cookie; a new or rotated id is written to
    /// the carrier the request used, and to every carrier when the request presented none.
    /// </summary>
    public string? HeaderName { get; set; }

    /// <summary>What a request does when its session cannot be loaded or committed. Default <see cref="SessionFailurePolicy.FailClosed"/> (HTTP 503).</summary>
    public SessionFailurePolicy FailurePolicy { get; set; } = SessionFailurePolicy.FailClosed;

    /// <summary>The circuit breaker on store calls (on by default).</summary>
    public SticklessCircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>
    /// True to put the commits of each session made on this node through one lane: one store call at a time, concurrent
    /// ones merged into one call where they can be, compare-and-set updates built on this node's latest commit so they
    /// never conflict with each other (see the README, "Concurrent requests of one session"). Default true.
    /// </summary>
    public bool CoalesceCommits { get; set; } = true;

    /// <summary>The <c>Retry-After</c> value of a fail-closed 503, in seconds. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <inheritdoc />
    public override void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.Validate(errors);
        Cookie.Validate(errors);
        CircuitBreaker.Validate(errors);
        if (HeaderName is not null && (HeaderName.Length == 0 || !SticklessCookieOptions.IsToken(HeaderName)))
        {
            errors.Add($"{nameof(HeaderName)} must be a valid header name or null (was '{HeaderName}').");
        }

        if (!Enum.IsDefined(FailurePolicy))
        {
            errors.Add($"{nameof(FailurePolicy)} must be FailClosed or Degrade (was {(int)FailurePolicy}).");
        }

        if (RetryAfterSeconds is < 0 or > 3600)
        {
            errors.Add($"{nameof(RetryAfterSeconds)} must be between 0 and 3600 (was {RetryAfterSeconds}).");
        }
    }
}
