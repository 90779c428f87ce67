using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Stickless.AspNetCore;

/// <summary>The fail-closed answer: an empty 503 that no client can mistake for a success.</summary>
internal static class UnavailableResponse
{
    /// <summary>
    /// Snapshots the headers outer middleware set before the session middleware ran (a node name, for
    /// example), so a 503 keeps them while dropping everything the endpoint set.
    /// </summary>
    public static KeyValuePair<string, StringValues>[]? CaptureOuterHeaders(HttpResponse response) =>
        response.Headers.Count == 0 ? null : [.. response.Headers];

    /// <summary>
    /// Replaces a response that has not started: status 503, the outer headers only (never cookies or
    /// content headers), <c>Retry-After</c>, <c>Cache-Control: no-store</c>, <c>Content-Length: 0</c>.
    /// </summary>
    public static void Write(HttpResponse response, int retryAfterSeconds, KeyValuePair<string, StringValues>[]? outerHeaders)
    {
        Replace(response, StatusCodes.Status503ServiceUnavailable, retryAfterSeconds, outerHeaders);
        response.ContentLength = 0;
    }

    /// <summary>
    /// Resets a response that has not started to <paramref name="statusCode"/> with the outer headers only
    /// (never cookies or content headers), <c>Retry-After</c> and <c>Cache-Control: no-store</c>.
    /// </summary>
    public static void Replace(HttpResponse response, int statusCode, int retryAfterSeconds, KeyValuePair<string, StringValues>[]? outerHeaders)
    {
        var headers = response.Headers;
        headers.Clear();
        if (outerHeaders is not null)
        {
            foreach (var (name, value) in outerHeaders)
            {
                if (!name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase)
                    && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    headers[name] = value;
                }
            }
        }

        response.StatusCode = statusCode;
        headers[HeaderNames.RetryAfter] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        headers[HeaderNames.CacheControl] = "no-store";
    }
}
