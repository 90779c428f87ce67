namespace Stickless.AspNetCore;

/// <summary>Settings of the cookie-authentication ticket store (section <c>Stickless:TicketStore</c>).</summary>
public sealed class SticklessTicketStoreOptions : IValidatedOptions
{
    /// <summary>
    /// How long a ticket is kept without being renewed, when the ticket itself says nothing (no <c>ExpiresUtc</c>). Default 14
    /// days, cookie authentication's own default <c>ExpireTimeSpan</c>. A ticket with an expiry is kept exactly that long
    /// after each store or renewal.
    /// </summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The longest a sign-in lives, renewals (sliding expiration) included: the server forgets the ticket after it, so the
    /// user signs in again. Default 30 days.
    /// </summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromDays(30);

    /// <inheritdoc />
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (DefaultLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(DefaultLifetime)} must be positive (was {DefaultLifetime}).");
        }

        if (AbsoluteTimeout < DefaultLifetime)
        {
            errors.Add($"{nameof(AbsoluteTimeout)} ({AbsoluteTimeout}) must be at least {nameof(DefaultLifetime)} ({DefaultLifetime}).");
        }
    }
}
