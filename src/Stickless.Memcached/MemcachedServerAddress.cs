using System.Globalization;
using Stickless.Memcached.Ring;

namespace Stickless.Memcached;

/// <summary>One configured memcached server: where it listens, its weight on the ring, and its ring name.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Weight">Ring weight, at least 1.</param>
/// <param name="Name">The ring name; null for the default derived from the address (see <see cref="KetamaNameFormat"/>).</param>
public sealed record MemcachedServerAddress(string Host, int Port, int Weight = 1, string? Name = null)
{
    /// <summary>
    /// Parses <c>host:port[ weight][ name]</c> (for example <c>10.0.0.5:11211</c>, <c>10.0.0.5:11211 2</c>,
    /// <c>10.0.0.5:11211 1 cache-a</c>). IPv6 hosts go in brackets: <c>[::1]:11211</c>.
    /// </summary>
    /// <returns>False, with a message, when the text is not such an address.</returns>
    public static bool TryParse(string? text, out MemcachedServerAddress? address, out string error)
    {
        address = null;
        error = "";
        var parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 3)
        {
            error = $"'{text}' is not 'host:port[ weight][ name]'.";
            return false;
        }

        var endpoint = parts[0];
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || colon == endpoint.Length - 1)
        {
            error = $"'{text}' has no port (expected host:port, for example 127.0.0.1:11211).";
            return false;
        }

        var host = endpoint[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}' has an invalid port.";
            return false;
        }

        var weight = 1;
        if (parts.Length >= 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight < 1))
        {
            error = $"'{text}' has an invalid weight '{parts[1]}' (a whole number of at least 1).";
            return false;
        }

        address = new MemcachedServerAddress(host, port, weight, parts.Length == 3 ? parts[2] : null);
        return true;
    }

    /// <summary>The ring name: <see cref="Name"/>, or the address in <paramref name="format"/>.</summary>
    public string RingName(KetamaNameFormat format) => Name ?? KetamaNode.NameFor(Host, Port, format);

    /// <summary><c>host:port</c>.</summary>
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
