using System.Globalization;

namespace Stickless.Memcached.Tests.Infrastructure;

/// <summary>Three real memcached servers for a test class (xunit class fixture); killed when the class is done.</summary>
public sealed class MemcachedCluster : IAsyncLifetime
{
    private readonly List<MemcachedServer> _servers = [];

    public IReadOnlyList<MemcachedServer> Servers => _servers;

    /// <summary>The <c>Servers</c> setting: <c>127.0.0.1:port</c> of each.</summary>
    public List<string> Addresses => [.. _servers.Select(s => s.Endpoint)];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await MemcachedServer.StartAsync());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// The requests the servers have handled, as they count them in <c>stats</c>: gets (<c>mg</c>), sets (<c>ms</c>),
    /// touches and deletes (<c>md</c>). <c>mn</c>, <c>stats</c> and <c>version</c> are not counted.
    /// </summary>
    public async Task<long> CountRequestsAsync()
    {
        long total = 0;
        foreach (var server in _servers)
        {
            var stats = await server.CommandAsync("stats");
            foreach (var line in stats.Split("\r\n"))
            {
                var parts = line.Split(' ');
                if (parts.Length == 3 && parts[0] == "STAT" && parts[1] is "cmd_get" or "cmd_set" or "cmd_touch" or "delete_hits" or "delete_misses")
                {
                    total += long.Parse(parts[2], CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }
}
