using Festa.Catalogue;
using Festa.Http;

namespace Festa.Wishlist;

/// <summary>
/// <c>GET /wishlist</c>, <c>PUT /wishlist/{eventId}</c> and <c>DELETE /wishlist/{eventId}</c>: a signed-in
/// user's wishlist, a sorted set of event ids in the session attribute <see cref="AttributeName"/>.
/// Every answer is <c>{"items": [ids]}</c>.
/// </summary>
public static class WishlistEndpoints
{
    /// <summary>The session attribute holding the wishlist.</summary>
    public const string AttributeName = "wishlist";

    /// <summary>Maps the wishlist endpoints.</summary>
    public static IEndpointRouteBuilder MapWishlistEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/wishlist", Get);
        endpoints.MapPut("/wishlist/{eventId}", (HttpContext context, string eventId, CancellationToken cancellationToken) =>
            ChangeAsync(context, eventId, add: true, cancellationToken));
        endpoints.MapDelete("/wishlist/{eventId}", (HttpContext context, string eventId, CancellationToken cancellationToken) =>
            ChangeAsync(context, eventId, add: false, cancellationToken));
        return endpoints;
    }

    private static IResult Get(HttpContext context)
    {
        if (!SignedInSession.TryGet(context, out var session, out _))
        {
            return Problems.SignInRequired();
        }

        return Items(session.TryGet<int[]>(AttributeName, out var items) ? items : null);
    }

    /// <summary>
    /// Adds or removes one event with a compare-and-set update, so concurrent changes on any nodes all
    /// survive. Both are idempotent: adding a listed event or removing an unlisted one changes nothing.
    /// </summary>
    private static async Task<IResult> ChangeAsync(HttpContext context, string eventId, bool add, CancellationToken cancellationToken)
    {
        if (!SignedInSession.TryGet(context, out var session, out _))
        {
            return Problems.SignInRequired();
        }

        if (!EventCatalogue.TryFind(eventId, out var festaEvent))
        {
            return Problems.NotFound($"There is no event '{eventId}' in the catalogue (ids 1 to {EventCatalogue.Count}).");
        }

        // The update function may run more than once (a retry after a conflict): it must be pure.
        var committed = await session.UpdateAsync<int[]>(
            AttributeName,
            current => add ? With(current, festaEvent.Id) : Without(current, festaEvent.Id),
            cancellationToken);
        return Items(committed);
    }

    private static int[] With(int[]? items, int id) =>
        items is null ? [id] : items.Contains(id) ? items : [.. items.Append(id).Order()];

    private static int[] Without(int[]? items, int id) =>
        items is null ? [] : [.. items.Where(item => item != id)];

    private static IResult Items(int[]? items) => Results.Ok(new { items = items ?? [] });
}
