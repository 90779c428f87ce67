using System.Text.Json;
using Festa.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Stickless;
using Stickless.AspNetCore;

namespace Festa.Preferences;

/// <summary>
/// <c>GET /preferences</c>, <c>PUT /preferences/{name}</c> and <c>DELETE /preferences/{name}</c>: named JSON values the
/// client chooses (a theme, a layout), each kept as its own session attribute <c>pref.{name}</c>. They work signed in
/// or not, as a shopping cart does, so they are also how a client puts JSON of its own making into a session: the lab's
/// abuse run sends oversized and deeply nested values and fills a session to its attribute limit through them.
/// </summary>
public static class PreferenceEndpoints
{
    /// <summary>The prefix of the attributes that hold preferences.</summary>
    public const string AttributePrefix = "pref.";

    /// <summary>The deepest JSON a preference may nest: the session attribute serializer's own bound.</summary>
    public const int MaxDepth = SessionAttributeSerializer.DefaultMaxDepth;

    /// <summary>The longest preference name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Maps the preference endpoints.</summary>
    public static IEndpointRouteBuilder MapPreferenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/preferences", List);
        endpoints.MapPut("/preferences/{name}", SetAsync);
        endpoints.MapDelete("/preferences/{name}", Remove);
        return endpoints;
    }

    /// <summary>200 <c>{"name": value, …}</c>: every preference of the session (an empty object when none).</summary>
    private static Ok<SortedDictionary<string, JsonElement>> List(HttpContext context)
    {
        var session = context.GetSticklessSession();
        var all = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var key in session.Keys.Where(static k => k.StartsWith(AttributePrefix, StringComparison.Ordinal)).ToList())
        {
            // An attribute that no longer decodes is left out (and logged by Stickless), never a 500.
            if (session.TryGet<JsonElement>(key, out var value))
            {
                all[key[AttributePrefix.Length..]] = value;
            }
        }

        return TypedResults.Ok(all);
    }

    /// <summary>
    /// 200 <c>{"name","value"}</c>; 400 for a bad name or a body that is not JSON or nests deeper than <see cref="MaxDepth"/>;
    /// 413 for a body over 16 KiB; 415 without a JSON content type; 422 when the session would break one of its limits
    /// (most attributes, largest value, largest total).
    /// </summary>
    private static async Task<IResult> SetAsync(HttpContext context, string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            return Problems.BadRequest($"A preference name is 1 to {MaxNameLength} characters from a-z 0-9 _ -.");
        }

        var (value, problem) = await JsonBody.ReadElementAsync(context.Request, MaxDepth, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        // Beyond a session limit, Set throws SessionLimitExceededException: SessionLimitExceptionHandler answers 422.
        context.GetSticklessSession().Set(AttributePrefix + name, value);
        return TypedResults.Ok(new { name, value });
    }

    /// <summary>204, whether or not the preference existed; 400 for a bad name.</summary>
    private static IResult Remove(HttpContext context, string name)
    {
        if (!IsValidName(name))
        {
            return Problems.BadRequest($"A preference name is 1 to {MaxNameLength} characters from a-z 0-9 _ -.");
        }

        context.GetSticklessSession().Remove(AttributePrefix + name);
        return TypedResults.NoContent();
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(static c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
}
