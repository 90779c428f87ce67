using System.Globalization;

namespace Stickless.Redis.Connections;

/// <summary>A Redis server address: a host name or IP literal and a TCP port.</summary>
/// <param name="Host">The host name or IP address (IPv6 without brackets).</param>
/// <param name="Port">The TCP port; 6379 by convention.</param>
public sealed record RedisEndpoint(string Host, int Port)
{
    /// <summary>The port Redis listens on unless told otherwise.</summary>
    public const int DefaultPort = 6379;

    /// <summary>Parses <c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c>.</summary>
    public static bool TryParse(string text, out RedisEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text)) { return false; }
        text = text.Trim();
        string host;
        var port = DefaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2) { return false; }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryParsePort(rest[1..], out port))) { return false; }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon) { return false; }
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0 && !TryParsePort(text[(colon + 1)..], out port)) { return false; }
        }
        if (host.Length == 0 || host.Any(char.IsWhiteSpace)) { return false; }
        endpoint = new RedisEndpoint(host, port);
        return true;
    }

    /// <summary><c>host:port</c>, with brackets around an IPv6 literal.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
