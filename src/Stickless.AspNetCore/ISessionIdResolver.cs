using Microsoft.AspNetCore.Http;

namespace Stickless.AspNetCore;

/// <summary>
/// Carries the session id between client and server: the cookie resolver (always on) and the header
/// resolver (on when <see cref="SticklessHttpOptions.HeaderName"/> is set). Resolvers are tried in order;
/// the first whose carrier is present on the request owns the request's id.
/// </summary>
public interface ISessionIdResolver
{
    /// <summary>The resolver's name (for example <c>Cookie</c> or <c>Header</c>), used in logs.</summary>
    string Name { get; }

    /// <summary>Reads the id presented with the request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="id">
    /// The presented value, unvalidated; null when the carrier is present but unusable (for example longer
    /// than allowed). The middleware looks up only well-formed ids and never adopts an unknown one.
    /// </param>
    /// <returns>True when this resolver's carrier (cookie, header) is present on the request.</returns>
    bool TryGetId(HttpContext context, out string? id);

    /// <summary>Sends a new or rotated id to the client, before the response starts.</summary>
    /// <param name="context">The request.</param>
    /// <param name="id">The id.</param>
    /// <param name="expires">The session's absolute expiry (a persistent cookie may use it).</param>
    void WriteId(HttpContext context, string id, DateTimeOffset expires);

    /// <summary>Tells the client to forget its id (after invalidation, or when the session is gone).</summary>
    void ClearId(HttpContext context);
}
