namespace Festa.Catalogue;

/// <summary><c>GET /events</c>.</summary>
public static class EventEndpoints
{
    /// <summary>Maps the catalogue endpoint; it never touches the session, so it answers whatever the store's state.</summary>
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/events", () => TypedResults.Ok(EventCatalogue.All)).WithoutSession();
        return endpoints;
    }
}
