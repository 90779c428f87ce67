namespace Festa.Baseline;

/// <summary>
/// <c>GET /baseline</c>: an answer of the shape and size of <c>GET /me</c> that never touches the session
/// (<c>.WithoutSession()</c>), so the lab can measure what serving a session costs a node: the same request, the same
/// bytes, no session middleware and no store.
/// </summary>
public static class BaselineEndpoints
{
    /// <summary>The user name in the answer: as long as the lab's bench users' names (<c>u</c>, 8 hex digits, <c>-</c>, two digits).</summary>
    public const string SampleUsername = "u00000000-00";

    /// <summary>Maps the baseline endpoint.</summary>
    public static IEndpointRouteBuilder MapBaselineEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/baseline", (HttpContext context, NodeIdentity node, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(new
            {
                username = SampleUsername,
                createdAt = now,
                lastAccessedAt = now,
                node = node.NameFor(context),
            });
        }).WithoutSession();
        return endpoints;
    }
}
