using Festa.Http;

namespace Festa.Sessions;

/// <summary>
/// <c>GET /sessions</c>, <c>DELETE /sessions/{handle}</c> and <c>POST /sessions/revoke-others</c>: the signed-in
/// user's sessions on every node, found through the store's per-user index.
/// </summary>
public static class SessionEndpoints
{
    /// <summary>Maps the session management endpoints.</summary>
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sessions", ListAsync);
        endpoints.MapDelete("/sessions/{handle}", RevokeAsync);
        endpoints.MapPost("/sessions/revoke-others", RevokeOthersAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!SignedInSession.TryGet(context, out var session, out _))
        {
            return Problems.SignInRequired();
        }

        var sessions = await session.ListSessionsAsync(cancellationToken);
        return TypedResults.Ok(sessions
            .Select(s => new SessionView(s.Handle, s.CreatedAt, s.LastAccessedAt, s.ExpiresAt, s.IsCurrent))
            .OrderByDescending(s => s.Current)
            .ThenByDescending(s => s.LastAccessedAt)
            .ToArray());
    }

    /// <summary>204 when the handle named one of the user's sessions and it is gone; 404 otherwise (including another user's handle).</summary>
    private static async Task<IResult> RevokeAsync(HttpContext context, string handle, CancellationToken cancellationToken)
    {
        if (!SignedInSession.TryGet(context, out var session, out _))
        {
            return Problems.SignInRequired();
        }

        return await session.RevokeAsync(handle, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound("None of your sessions has that handle.");
    }

    private static async Task<IResult> RevokeOthersAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!SignedInSession.TryGet(context, out var session, out _))
        {
            return Problems.SignInRequired();
        }

        var revoked = await session.RevokeOthersAsync(cancellationToken);
        return TypedResults.Ok(new { revoked });
    }
}
