using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Stickless.AspNetCore;

/// <summary>
/// The answer to an update that conflicted on every attempt (<see cref="SessionUpdateConflictException"/>):
/// <c>409 Conflict</c>, a short RFC 9457 problem+json body, <c>Retry-After: 0</c> (contention, not an
/// outage: the client may retry at once) and the same header hygiene as the fail-closed 503.
/// </summary>
/// <remarks>
/// The body names neither the attribute nor the session: attribute names are the application's internals.
/// The attribute and the number of attempts are in the log (event <c>UpdateGaveUp</c>).
/// </remarks>
internal static class ConflictResponse
{
    private static readonly byte[] Body =
        """{"type":"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10","title":"The session was changed concurrently.","status":409,"detail":"Other requests of this session kept changing the same value; nothing of this request was saved. Retry the request."}"""u8.ToArray();

    /// <summary>Replaces a response that has not started with the 409 and writes its body.</summary>
    public static Task WriteAsync(HttpResponse response, KeyValuePair<string, StringValues>[]? outerHeaders, CancellationToken cancellationToken)
    {
        UnavailableResponse.Replace(response, StatusCodes.Status409Conflict, retryAfterSeconds: 0, outerHeaders);
        response.ContentType = "application/problem+json";
        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body, cancellationToken).AsTask();
    }
}
