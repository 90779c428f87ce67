using System.Globalization;
using Stickless.Redis.Connections;

namespace Stickless.Redis.Cluster;

/// <summary>
/// A cluster redirection read from an error reply: <c>MOVED &lt;slot&gt; &lt;host&gt;:&lt;port&gt;</c> (the slot
/// has a new owner: update the map) or <c>ASK &lt;slot&gt; &lt;host&gt;:&lt;port&gt;</c> (the key is being migrated:
/// send <c>ASKING</c> and the command there once, and keep the map).
/// </summary>
/// <param name="IsAsk">True for <c>ASK</c>, false for <c>MOVED</c>.</param>
/// <param name="Slot">The key's slot.</param>
/// <param name="Endpoint">Where to go.</param>
internal readonly record struct ClusterRedirect(bool IsAsk, int Slot, RedisEndpoint Endpoint)
{
    /// <summary>
    /// Parses the error text. Redis prints IPv6 addresses without brackets (the port follows the last colon),
    /// and an empty host when the node does not know its address: that is the node that answered.
    /// </summary>
    public static bool TryParse(string message, RedisEndpoint answeredBy, out ClusterRedirect redirect)
    {
        redirect = default;
        var parts = message.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] is not ("MOVED" or "ASK"))
        {
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot >= ClusterSlots.Count)
        {
            return false;
        }

        var colon = parts[2].LastIndexOf(':');
        if (colon < 0 || !int.TryParse(parts[2].AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = parts[2][..colon].Trim('[', ']');
        redirect = new ClusterRedirect(parts[0] == "ASK", slot, new RedisEndpoint(host.Length == 0 ? answeredBy.Host : host, port));
        return true;
    }
}
