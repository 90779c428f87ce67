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
        // Requiring a JSON content type keeps cross-site HTML forms (which cannot send one without a
        // CORS preflight) from posting to the account endpoints.
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as JSON with Content-Type: application/json."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.BadRequest("The request body is empty; send a JSON object."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
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

    private static IResult TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body may be at most {MaxBytes} bytes.");
}
