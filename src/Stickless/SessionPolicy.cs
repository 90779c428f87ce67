namespace Stickless;

/// <summary>Store-independent rules for a session's life: timeouts, the touch throttle, rotation and limits.</summary>
public sealed class SessionPolicy
{
    /// <summary>How long a session lives without activity. Default 20 minutes (ASP.NET Core's default).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long a session lives at most, whatever its activity (OWASP's absolute timeout). Default 8 hours.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The share of <see cref="IdleTimeout"/> that must have passed since the last touch before a read-only
    /// request moves the expiry again. Default 0.1 (two minutes of a twenty-minute timeout): most read-only
    /// requests write nothing, and a session never expires earlier than 90% of its idle timeout.
    /// </summary>
    public double TouchFraction { get; set; } = 0.1;

    /// <summary>How long an old id keeps working after <c>RenewIdAsync</c>, for requests in flight. Default zero (dead at once). Sign-in rotation always uses zero.</summary>
    public TimeSpan RotationGrace { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How many compare-and-set attempts an <c>UpdateAsync</c> makes before giving up with
    /// <see cref="SessionUpdateConflictException"/>. Default 100. The first retry is immediate; later ones
    /// wait a jittered moment, each at most <see cref="SticklessOptions.StoreTimeout"/> divided by this number
    /// (and at most 20 ms), so all the waits of one update add up to at most the store timeout.
    /// </summary>
    public int MaxUpdateAttempts { get; set; } = 100;

    /// <summary>Bounds on attribute names, sizes and counts.</summary>
    public SessionLimits Limits { get; } = new();

    /// <summary>The touch threshold passed to <see cref="ISessionStore.LoadAsync"/>.</summary>
    public TimeSpan TouchAfter => IdleTimeout * TouchFraction;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        if (IdleTimeout <= TimeSpan.Zero) { errors.Add($"{nameof(IdleTimeout)} must be positive (was {IdleTimeout})."); }
        if (AbsoluteTimeout < IdleTimeout) { errors.Add($"{nameof(AbsoluteTimeout)} ({AbsoluteTimeout}) must be at least {nameof(IdleTimeout)} ({IdleTimeout})."); }
        if (TouchFraction is < 0 or >= 1 || double.IsNaN(TouchFraction)) { errors.Add($"{nameof(TouchFraction)} must be in [0, 1) (was {TouchFraction})."); }
        if (RotationGrace < TimeSpan.Zero || RotationGrace > TimeSpan.FromMinutes(1)) { errors.Add($"{nameof(RotationGrace)} must be between 0 and 1 minute (was {RotationGrace})."); }
        if (MaxUpdateAttempts < 1) { errors.Add($"{nameof(MaxUpdateAttempts)} must be at least 1 (was {MaxUpdateAttempts})."); }
        Limits.Validate(errors);
    }
}
