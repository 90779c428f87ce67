namespace Stickless.AspNetCore;

/// <summary>The <see cref="ISessionManager"/> over the store client (timeouts, circuit breaker, metrics).</summary>
internal sealed class SessionManager(SessionStoreClient store, TimeProvider time) : ISessionManager
{
    // Inspecting must not count as activity: the session's expiry stays where it is.
    private static readonly TimeSpan NeverTouch = TimeSpan.MaxValue;

    public async ValueTask<IReadOnlyList<SessionInfo>> ListAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        var sessions = await store.FindByPrincipalAsync(principal, cancellationToken).ConfigureAwait(false);
        return [.. sessions.Select(s => new SessionInfo(SessionHandle.For(s.Id), s.CreatedAt, s.LastAccessedAt, s.ExpiresAt, IsCurrent: false))];
    }

    public async ValueTask<SessionDetails?> InspectAsync(string principal, string handle, CancellationToken cancellationToken = default)
    {
        var id = await FindAsync(principal, handle, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return null;
        }

        var record = await store.LoadAsync(id, new SessionLoadOptions(time.GetUtcNow(), NeverTouch), cancellationToken).ConfigureAwait(false);
        if (record is null || !string.Equals(record.Principal, principal, StringComparison.Ordinal))
        {
            return null;
        }

        return new SessionDetails(
            handle,
            record.Principal,
            record.CreatedAt,
            record.LastAccessedAt,
            record.ExpiresAt,
            record.AbsoluteExpiry,
            record.Attributes.ToDictionary(a => a.Key, a => a.Value.Value.Length, StringComparer.Ordinal),
            record.Attributes.ContainsKey(SticklessTicketStore.TicketAttribute));
    }

    public async ValueTask<bool> RevokeAsync(string principal, string handle, CancellationToken cancellationToken = default)
    {
        var id = await FindAsync(principal, handle, cancellationToken).ConfigureAwait(false);
        return id is not null && await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> RevokeAllAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        var revoked = 0;

        // A session created while the first pass runs is caught by the second; the bound keeps a user who signs in in a loop
        // from keeping this call busy forever.
        for (var pass = 0; pass < 3; pass++)
        {
            var sessions = await store.FindByPrincipalAsync(principal, cancellationToken).ConfigureAwait(false);
            if (sessions.Count == 0)
            {
                break;
            }

            foreach (var session in sessions)
            {
                if (await store.DeleteAsync(session.Id, cancellationToken).ConfigureAwait(false))
                {
                    revoked++;
                }
            }
        }

        return revoked;
    }

    private async ValueTask<string?> FindAsync(string principal, string handle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(principal);
        ArgumentNullException.ThrowIfNull(handle);
        var sessions = await store.FindByPrincipalAsync(principal, cancellationToken).ConfigureAwait(false);
        foreach (var session in sessions)
        {
            if (SessionHandle.Matches(session.Id, handle))
            {
                return session.Id;
            }
        }

        return null;
    }
}
