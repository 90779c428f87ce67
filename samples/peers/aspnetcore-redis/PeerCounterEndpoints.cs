namespace AspNetCoreRedisPeer;

/// <summary><c>POST /counter</c>: read, add one, write back, as session code is usually written.</summary>
public static class PeerCounterEndpoints
{
    /// <summary>Maps the counter endpoint.</summary>
    public static IEndpointRouteBuilder MapPeerCounterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The session is loaded at LoadAsync and written whole when the response ends: two requests of one
        // session that overlap both read n and both write n + 1, and the later write wins.
        endpoints.MapPost("/counter", async (HttpContext context, CancellationToken cancellationToken) =>
        {
            await context.Session.LoadAsync(cancellationToken);
            var value = (context.Session.GetInt32(PeerSessionKeys.Counter) ?? 0) + 1;
            context.Session.SetInt32(PeerSessionKeys.Counter, value);
            return TypedResults.Ok(new { value });
        });
        return endpoints;
    }
}
