using Festa.Catalogue;

namespace AspNetCoreRedisPeer;

/// <summary><c>GET /events</c>: Festa's catalogue; it never touches the session.</summary>
public static class PeerEventEndpoints
{
    /// <summary>Maps the catalogue endpoint.</summary>
    public static IEndpointRouteBuilder MapPeerEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/events", () => TypedResults.Ok(EventCatalogue.All));
        return endpoints;
    }
}
