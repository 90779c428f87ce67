namespace Stickless;

/// <summary>
/// Store-independent Stickless settings: which store, the per-call store timeout and the session policy. Bound from the
/// <c>Stickless</c> configuration section by the standard configuration binder and validated at start-up, with every
/// error listed. The ASP.NET Core package derives its HTTP settings (cookie, header, failure policy) from this class.
/// </summary>
/// <remarks>
/// Keys (section <c>Stickless</c>): <c>Store</c>, <c>StoreTimeout</c>, <c>IdleTimeout</c>, <c>AbsoluteTimeout</c>,
/// <c>TouchFraction</c>, <c>RotationGrace</c>, <c>MaxUpdateAttempts</c>, <c>Limits:MaxNameLength</c> (and
/// <c>MaxAttributeBytes</c>, <c>MaxAttributeCount</c>, <c>MaxTotalBytes</c>), <c>NearCache:Enabled</c> (and
/// <c>MaxStaleness</c>, <c>MaxBytes</c>). Time spans are written the way the
/// configuration binder reads them: <c>00:20:00</c> is twenty minutes, <c>00:00:00.500</c> half a second (a bare
/// number such as <c>500</c> is a number of days).
/// </remarks>
public class SticklessOptions : IValidatedOptions
{
    /// <summary>The name of the in-memory store, the default.</summary>
    public const string InMemoryStoreName = "InMemory";

    /// <summary>The name of the store to use, as its package registered it (<c>InMemory</c>, <c>Redis</c>, ...). Default <c>InMemory</c>.</summary>
    public string Store { get; set; } = InMemoryStoreName;

    /// <summary>The longest one store call may take before it counts as a failure. Default 2 seconds.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeouts, touch throttle, rotation and limits. Its settings are also exposed here, flat, for configuration.</summary>
    public SessionPolicy Policy { get; } = new();

    /// <summary>The near cache (<c>Stickless:NearCache:Enabled</c>, <c>MaxStaleness</c>, <c>MaxBytes</c>); off by default.</summary>
    public NearCacheOptions NearCache { get; } = new();

    /// <inheritdoc cref="SessionPolicy.IdleTimeout"/>
    public TimeSpan IdleTimeout
    {
        get => Policy.IdleTimeout;
        set => Policy.IdleTimeout = value;
    }

    /// <inheritdoc cref="SessionPolicy.AbsoluteTimeout"/>
    public TimeSpan AbsoluteTimeout
    {
        get => Policy.AbsoluteTimeout;
        set => Policy.AbsoluteTimeout = value;
    }

    /// <inheritdoc cref="SessionPolicy.TouchFraction"/>
    public double TouchFraction
    {
        get => Policy.TouchFraction;
        set => Policy.TouchFraction = value;
    }

    /// <inheritdoc cref="SessionPolicy.RotationGrace"/>
    public TimeSpan RotationGrace
    {
        get => Policy.RotationGrace;
        set => Policy.RotationGrace = value;
    }

    /// <inheritdoc cref="SessionPolicy.MaxUpdateAttempts"/>
    public int MaxUpdateAttempts
    {
        get => Policy.MaxUpdateAttempts;
        set => Policy.MaxUpdateAttempts = value;
    }

    /// <inheritdoc cref="SessionPolicy.Limits"/>
    public SessionLimits Limits => Policy.Limits;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public virtual void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(Store))
        {
            errors.Add($"{nameof(Store)} must name a store.");
        }

        if (StoreTimeout <= TimeSpan.Zero || StoreTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(StoreTimeout)} must be between 0 and 5 minutes (was {StoreTimeout}).");
        }

        Policy.Validate(errors);
        NearCache.Validate(errors);
    }
}
