using Festa.Http;

namespace AspNetCoreRedisPeer;

/// <summary>
/// <c>GET /sessions</c>, <c>DELETE /sessions/{handle}</c> and <c>POST /sessions/revoke-others</c>: ASP.NET Core Session
/// keeps no index of a user's sessions, so a signed-in request gets 501; an anonymous one 401, as in Festa.
/// </summary>
public static class PeerSessionListEndpoints
{
    /// <summary>Maps the session management endpoints.</summary>
    public static IEndpointRouteBuilder MapPeerSessionListEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sessions", NotKeptAsync);
        endpoints.MapDelete("/sessions/{handle}", (HttpContext context, string handle, CancellationToken cancellationToken) => NotKeptAsync(context, cancellationToken));
        endpoints.MapPost("/sessions/revoke-others", NotKeptAsync);
        return endpoints;
    }

    private static async Task<IResult> NotKeptAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.Session.LoadAsync(cancellationToken);
        return context.Session.GetString(PeerSessionKeys.Username) is null
            ? Problems.SignInRequired()
            : Problems.Status(StatusCodes.Status501NotImplemented, "Not kept", "ASP.NET Core Session keeps no list of a user's sessions.");
    }
}
