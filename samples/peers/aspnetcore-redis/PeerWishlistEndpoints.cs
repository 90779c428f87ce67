using System.Text.Json;
using Festa.Catalogue;
using Festa.Http;

namespace AspNetCoreRedisPeer;

/// <summary><c>GET /wishlist</c>, <c>PUT /wishlist/{eventId}</c> and <c>DELETE /wishlist/{eventId}</c>: a JSON array in the session.</summary>
public static class PeerWishlistEndpoints
{
    /// <summary>Maps the wishlist endpoints.</summary>
    public static IEndpointRouteBuilder MapPeerWishlistEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/wishlist", GetAsync);
        endpoints.MapPut("/wishlist/{eventId}", (HttpContext context, string eventId, CancellationToken cancellationToken) =>
            ChangeAsync(context, eventId, add: true, cancellationToken));
        endpoints.MapDelete("/wishlist/{eventId}", (HttpContext context, string eventId, CancellationToken cancellationToken) =>
            ChangeAsync(context, eventId, add: false, cancellationToken));
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.Session.LoadAsync(cancellationToken);
        if (context.Session.GetString(PeerSessionKeys.Username) is null)
        {
            return Problems.SignInRequired();
        }

        return Items(Read(context.Session));
    }

    /// <summary>Read-modify-write of the whole list; concurrent changes of one session overwrite each other.</summary>
    private static async Task<IResult> ChangeAsync(HttpContext context, string eventId, bool add, CancellationToken cancellationToken)
    {
        await context.Session.LoadAsync(cancellationToken);
        if (context.Session.GetString(PeerSessionKeys.Username) is null)
        {
            return Problems.SignInRequired();
        }

        if (!EventCatalogue.TryFind(eventId, out var festaEvent))
        {
            return Problems.NotFound($"There is no event '{eventId}' in the catalogue (ids 1 to {EventCatalogue.Count}).");
        }

        var items = Read(context.Session).Where(id => id != festaEvent.Id).ToList();
        if (add)
        {
            items.Add(festaEvent.Id);
        }

        items.Sort();
        context.Session.SetString(PeerSessionKeys.Wishlist, JsonSerializer.Serialize(items));
        return Items(items);
    }

    private static List<int> Read(ISession session) =>
        session.GetString(PeerSessionKeys.Wishlist) is { } json ? JsonSerializer.Deserialize<List<int>>(json) ?? [] : [];

    private static IResult Items(IEnumerable<int> items) => Results.Ok(new { items });
}
