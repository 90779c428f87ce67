using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>
/// Keeps cookie-authentication tickets server-side, in the session store (<see cref="CookieAuthenticationOptions.SessionStore"/>):
/// the cookie carries only a 256-bit key, the ticket lives in one store record indexed under the user's name, so
/// <see cref="ISessionManager.RevokeAllAsync"/> ("sign out everywhere") ends cookie sign-ins too, on every node, at once.
/// </summary>
/// <remarks>
/// <para>
/// The ticket is serialized with ASP.NET Core's own <see cref="TicketSerializer"/> (claims and properties; no type names)
/// into one attribute. The record lives as long as the ticket says (its <c>ExpiresUtc</c>, else
/// <see cref="SticklessTicketStoreOptions.DefaultLifetime"/>) after each store or renewal, and never past
/// <see cref="SticklessTicketStoreOptions.AbsoluteTimeout"/>. The user is the identity's <c>Name</c>; bind the same name with
/// <c>SignInAsync</c> for sessions, so that one revocation finds both.
/// </para>
/// <para>
/// A store failure throws <see cref="SessionStoreUnavailableException"/>: the request is never treated as signed in, and
/// with <c>UseExceptionHandler</c> it answers 503 (Stickless registers an <c>IExceptionHandler</c> for it).
/// </para>
/// </remarks>
public sealed class SticklessTicketStore : ITicketStore
{
    /// <summary>The attribute that holds the serialized ticket.</summary>
    public const string TicketAttribute = "__stickless.ticket";

    private readonly SessionStoreClient _store;
    private readonly TimeProvider _time;
    private readonly SessionPolicy _policy;
    private readonly SticklessTicketStoreOptions _options;

    internal SticklessTicketStore(SessionStoreClient store, TimeProvider time, IOptions<SticklessHttpOptions> stickless, IOptions<SticklessTicketStoreOptions> options)
    {
        _store = store;
        _time = time;
        _policy = stickless.Value.Policy;
        _options = options.Value;
    }

    /// <inheritdoc />
    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    /// <inheritdoc />
    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null!, cancellationToken);

    /// <inheritdoc />
    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = _time.GetUtcNow();
        var principal = ticket.Principal.Identity?.Name;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var key = SessionIds.Create();
            var result = await _store.CommitAsync(new SessionChangeSet
            {
                SessionId = key,
                IsNew = true,
                Now = now,
                IdleTimeout = Lifetime(ticket, now),
                AbsoluteExpiry = now + _options.AbsoluteTimeout,
                SetsPrincipal = principal is not null,
                Principal = principal,
                Attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal) { [TicketAttribute] = AttributeChange.Set(TicketSerializer.Default.Serialize(ticket)) },
            }, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                return key;
            }
        }

        throw new SessionStoreUnavailableException($"The {_store.StoreName} session store refused to create an authentication ticket three times.");
    }

    /// <inheritdoc />
    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    /// <inheritdoc />
    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) => RenewAsync(key, ticket, null!, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A ticket revoked meanwhile stays revoked: the renewal finds nothing and writes nothing.</remarks>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!SessionIds.IsWellFormed(key))
        {
            return;
        }

        var principal = ticket.Principal.Identity?.Name;
        await _store.CommitAsync(new SessionChangeSet
        {
            SessionId = key,
            Now = _time.GetUtcNow(),
            Touch = true,
            SetsPrincipal = true,
            Principal = principal,
            Attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal) { [TicketAttribute] = AttributeChange.Set(TicketSerializer.Default.Serialize(ticket)) },
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    /// <inheritdoc />
    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => RetrieveAsync(key, null!, cancellationToken);

    /// <inheritdoc />
    /// <returns>The ticket, or null when the key is unknown, revoked, expired or not a ticket's.</returns>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsWellFormed(key))
        {
            return null;
        }

        var record = await _store.LoadAsync(key, new SessionLoadOptions(_time.GetUtcNow(), _policy.TouchAfter), cancellationToken).ConfigureAwait(false);
        if (record is null || record.IsGraceAlias || !record.Attributes.TryGetValue(TicketAttribute, out var stored))
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(stored.Value.ToArray());
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or EndOfStreamException or FormatException)
        {
            // Bytes that are not a ticket (another writer, a format from the future) never sign anyone in.
            return null;
        }
    }

    /// <inheritdoc />
    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, null!, cancellationToken);

    /// <inheritdoc />
    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (SessionIds.IsWellFormed(key))
        {
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Lifetime(AuthenticationTicket ticket, DateTimeOffset now)
    {
        var expires = ticket.Properties.ExpiresUtc;
        var lifetime = expires is { } e && e > now ? e - now : _options.DefaultLifetime;
        return lifetime < _options.AbsoluteTimeout ? lifetime : _options.AbsoluteTimeout;
    }
}
