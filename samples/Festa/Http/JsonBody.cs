using System.Text.Json;

namespace Festa.Http;

/// <summary>Reads small JSON request bodies so that every bad body gets a 4xx with a clear message, never a 500.</summary>
public static class JsonBody
{
    /// <summary>The largest body accepted, in bytes. Festa's bodies are a user name and a password.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Reads a <typeparamref name="T"/> from the body. On failure <c>Problem</c> is the answer to
    /// send: 415 for a body that is not JSON, 413 for an oversized one, 400 for malformed JSON or <c>null</c>.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var (body, problem) = await ReadBytesAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body.Span, Options);
            return value is null
                ? (null, Problems.BadRequest("The request body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // JsonException's message names the path and position, never the body's content.
            return (null, Problems.BadRequest($"The request body is not valid JSON for this request: {ex.Message}"));
        }
    }

    /// <summary>
    /// Reads any JSON value (object, array, string, number, true, false, null) nested at most
    /// <paramref name="maxDepth"/> deep. On failure <c>Problem</c> is the answer to send, as for <see cref="ReadAsync{T}"/>.
    /// </summary>
    public static async Task<(JsonElement Value, IResult? Problem)> ReadElementAsync(HttpRequest request, int maxDepth, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBytesAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (default, problem);
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });

            // JSON allows escapes that are not Unicode (a lone surrogate, "\udc00"): such a value parses but can never be
            // written again, so it is refused here rather than failing wherever it would be stored or sent.
            using var check = new Utf8JsonWriter(Stream.Null);
            document.RootElement.WriteTo(check);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, Problems.BadRequest($"The request body is not valid JSON, or is nested deeper than {maxDepth}: {ex.Message}"));
        }
        catch (InvalidOperationException ex)
        {
            return (default, Problems.BadRequest($"The request body holds a string that is not valid Unicode: {ex.Message}"));
        }
    }

    private static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Requiring a JSON content type keeps cross-site HTML forms (which cannot send one without a
        // CORS preflight) from posting to the account endpoints.
        if (!request.HasJsonContentType())
        {
            return (default, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as JSON with Content-Type: application/json."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (default, TooLarge());
        }

        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return (default, TooLarge());
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel gave up on the body (it trickled in below the minimum data rate, or the framing was bad): the
            // client's fault, answered with Kestrel's own status (408, 400), never a 500.
            return (default, Problems.Status(ex.StatusCode, "Bad request body", ex.Message));
        }

        if (buffer.Length == 0)
        {
            return (default, Problems.BadRequest("The request body is empty; send a JSON value."));
        }

        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }

    private static IResult TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body may be at most {MaxBytes} bytes.");
}
