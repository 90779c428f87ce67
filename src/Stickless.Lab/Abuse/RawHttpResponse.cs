namespace Stickless.Lab.Abuse;

/// <summary>What a raw HTTP/1.1 exchange ended in.</summary>
internal enum RawOutcome
{
    /// <summary>A whole response arrived.</summary>
    Answered,

    /// <summary>The connection closed (or reset) before a whole response: the server refused to go on.</summary>
    Closed,

    /// <summary>No whole response within the timeout: the server hung (a failure, unless the request was meant to be slow).</summary>
    TimedOut,

    /// <summary>The connection could not be opened.</summary>
    Refused,
}

/// <summary>A response read by <see cref="RawHttpConnection"/>; the body is cut at <see cref="RawHttpConnection.MaxBodyBytes"/>.</summary>
/// <param name="Outcome">How the exchange ended.</param>
/// <param name="Status">The status code; 0 unless <see cref="RawOutcome.Answered"/>.</param>
/// <param name="Headers">The header lines as sent (name, value).</param>
/// <param name="Body">The body (de-chunked).</param>
/// <param name="Elapsed">From the first byte sent to the last byte read.</param>
internal sealed record RawHttpResponse(RawOutcome Outcome, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, TimeSpan Elapsed)
{
    /// <summary>Every value of header <paramref name="name"/> (case-insensitive).</summary>
    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(static h => h.Value);

    /// <summary>The node that answered (<c>X-Served-By</c>), or null when HAProxy answered itself or nothing did.</summary>
    public string? ServedBy => HeaderValues("X-Served-By").FirstOrDefault();

    /// <summary>A failure with no answer.</summary>
    public static RawHttpResponse Failed(RawOutcome outcome, TimeSpan elapsed) => new(outcome, 0, [], [], elapsed);
}
