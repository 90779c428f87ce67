using System.Globalization;
using System.Text;

namespace Stickless.Lab.Abuse;

/// <summary>Builds HTTP/1.1 requests as bytes, valid or not (the abuse run decides).</summary>
internal static class RawRequest
{
    /// <summary>
    /// <c>METHOD target HTTP/1.1</c>, <c>Host</c>, the given header lines as written, and a body with an honest
    /// <c>Content-Length</c> (when there is a body).
    /// </summary>
    public static byte[] Build(string method, string target, IEnumerable<string>? headerLines = null, byte[]? body = null, string? contentType = null)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (var line in headerLines ?? [])
        {
            text.Append(line).Append("\r\n");
        }

        if (body is not null)
        {
            if (contentType is not null)
            {
                text.Append("Content-Type: ").Append(contentType).Append("\r\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        text.Append("\r\n");
        var head = Encoding.Latin1.GetBytes(text.ToString());
        return body is null ? head : [.. head, .. body];
    }

    /// <summary>The request with a JSON body (UTF-8).</summary>
    public static byte[] Json(string method, string target, string json, IEnumerable<string>? headerLines = null) =>
        Build(method, target, headerLines, Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>Bytes as they are, for requests no builder would write.</summary>
    public static byte[] Verbatim(string text) => Encoding.Latin1.GetBytes(text);
}
