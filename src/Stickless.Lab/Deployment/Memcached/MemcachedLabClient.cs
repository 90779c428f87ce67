using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickless.Lab.Deployment.Memcached;

/// <summary>Reads a memcached's own <c>stats</c> over a short-lived connection: the lab counts what the server counts, not what Stickless says.</summary>
internal static class MemcachedLabClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>The <c>stats</c> of the memcached on <paramref name="port"/>, by name; throws when it does not answer in time.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> StatsAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync("stats\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
        var text = new StringBuilder();
        var buffer = new byte[16 * 1024];
        while (!text.ToString().EndsWith("END\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            if (read == 0 || text.Length > 256 * 1024)
            {
                throw new IOException($"memcached on port {port} closed the connection before END.");
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var stats = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.ToString().Split("\r\n"))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3 && parts[0] == "STAT")
            {
                stats[parts[1]] = parts[2];
            }
        }

        return stats;
    }

    /// <summary>A counter of <paramref name="stats"/>, 0 when absent.</summary>
    public static long Get(IReadOnlyDictionary<string, string> stats, string name) =>
        stats.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>The requests a memcached has handled, as it counts them: gets (<c>mg</c>), sets (<c>ms</c>), touches and deletes (<c>md</c>).</summary>
    public static long Requests(IReadOnlyDictionary<string, string> stats) =>
        Get(stats, "cmd_get") + Get(stats, "cmd_set") + Get(stats, "cmd_touch") + Get(stats, "delete_hits") + Get(stats, "delete_misses");
}
