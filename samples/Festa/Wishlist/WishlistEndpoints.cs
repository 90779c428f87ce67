using Festa.Catalogue;
using Festa.Http;

namespace Festa.Wishlist;

/// <summary>
/// <c>GET /wishlist</c>, <c>PUT /wishlist/{eventId}</c> and <c>DELETE /wishlist/{eventId}</c>: a signed-in
/// user's wishlist, a set of event ids (a JSON array) in the session attribute <see cref="AttributeName"/>.
/// Every answer is <c>{"items": [ids]}</c>, sorted.
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
    /// Adds or removes one event with a set operation the store applies to what it holds, so concurrent changes on any
    /// nodes all survive without a compare-and-set retry. Both are idempotent: adding a listed event or removing an
    /// unlisted one changes nothing.
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

        var items = add
            ? await session.AddToSetAsync(AttributeName, festaEvent.Id, cancellationToken)
            : await session.RemoveFromSetAsync(AttributeName, festaEvent.Id, cancellationToken);
        return Items(items);
    }

    // The store keeps members in the order they were added; the contract answers them sorted.
    private static IResult Items(IReadOnlyList<int>? items) => Results.Ok(new { items = items is null ? [] : items.Order().ToArray() });
}
