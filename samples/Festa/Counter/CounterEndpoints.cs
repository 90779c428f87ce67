using Stickless.AspNetCore;

namespace Festa.Counter;

/// <summary>
/// <c>POST /counter</c>: increments a per-session counter. It works without signing in, which makes it how
/// an anonymous session starts, and how the lab detects lost updates (every answer must be one more).
/// </summary>
public static class CounterEndpoints
{
    /// <summary>The session attribute holding the counter (a JSON integer).</summary>
    public const string AttributeName = "counter";

    /// <summary>Maps the counter endpoint.</summary>
    public static IEndpointRouteBuilder MapCounterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // An increment applied by the store itself: concurrent requests of one session never conflict (no 409, no
        // retry), each answer is its own value, and the node's commit pipeline groups concurrent ones into one round trip.
        endpoints.MapPost("/counter", async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var value = await context.GetSticklessSession().IncrementAsync(AttributeName, cancellationToken: cancellationToken);
            return TypedResults.Ok(new { value });
        });
        return endpoints;
    }
}
