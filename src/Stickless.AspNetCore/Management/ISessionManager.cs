namespace Stickless.AspNetCore;

/// <summary>
/// The sessions of a user, outside any request: list them, inspect one, revoke one, or revoke all of them ("sign out
/// everywhere") from a password-reset job or an admin page. Revoking all also ends the user's cookie-authentication
/// sign-ins when their tickets are kept by Stickless (<c>AddCookieTicketStore</c>), because they live in the same store,
/// under the same per-user index.
/// </summary>
/// <remarks>
/// Sessions are named by handles (<see cref="SessionHandle.For"/>), never by id. Users are named as the application bound
/// them: the principal of <c>SignInAsync</c>, the identity name of a cookie-authentication ticket. Every call goes through
/// the store timeout and circuit breaker and throws <see cref="SessionStoreUnavailableException"/> when the store fails.
/// </remarks>
public interface ISessionManager
{
    /// <summary>The live sessions of <paramref name="principal"/> on every node.</summary>
    ValueTask<IReadOnlyList<SessionInfo>> ListAsync(string principal, CancellationToken cancellationToken = default);

    /// <summary>What one of <paramref name="principal"/>'s sessions holds (attribute names and sizes, not values), or null when there is no such live session.</summary>
    ValueTask<SessionDetails?> InspectAsync(string principal, string handle, CancellationToken cancellationToken = default);

    /// <summary>Ends one of <paramref name="principal"/>'s sessions, on every node.</summary>
    /// <returns>True when a session was ended.</returns>
    ValueTask<bool> RevokeAsync(string principal, string handle, CancellationToken cancellationToken = default);

    /// <summary>Ends every session (and cookie-authentication ticket) of <paramref name="principal"/>, on every node.</summary>
    /// <returns>How many were ended.</returns>
    ValueTask<int> RevokeAllAsync(string principal, CancellationToken cancellationToken = default);
}
