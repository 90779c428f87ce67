using System.Text.Json;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Conformance;

/// <summary>
/// Counts the requests Redis servers received from clients, by the servers' own slow log (every command logged:
/// <c>slowlog-log-slower-than 0</c>). Commands a script runs are logged too, but under the client address <c>?:0</c>,
/// so they are left out: a script is one round trip however many commands it runs. The tools' and the client
/// library's own housekeeping (INFO, PING, CLUSTER, SUBSCRIBE …, and replication) are left out as well.
/// </summary>
public sealed class RedisRoundTripCounter
{
    private static readonly HashSet<string> Housekeeping = new(StringComparer.OrdinalIgnoreCase)
    {
        "slowlog", "info", "ping", "echo", "cluster", "client", "subscribe", "unsubscribe", "psubscribe", "punsubscribe",
        "role", "sentinel", "command", "hello", "auth", "select", "config", "replconf", "psync", "sync", "readonly", "asking",
        "publish", // sentinels announce themselves on the master every two seconds; the store publishes only from scripts
    };

    private readonly Func<Task<IReadOnlyList<RedisServer>>> _servers;
    private readonly Dictionary<int, long> _lastSeen = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _total;

    /// <param name="servers">The servers to count on (read at every count: a failover may change them).</param>
    public RedisRoundTripCounter(Func<Task<IReadOnlyList<RedisServer>>> servers) => _servers = servers;

    /// <summary>Makes every server log every command, and starts counting from now.</summary>
    public async Task StartAsync()
    {
        foreach (var server in await _servers())
        {
            await server.CliAsync("CONFIG", "SET", "slowlog-log-slower-than", "0");
            await server.CliAsync("CONFIG", "SET", "slowlog-max-len", "100000");
        }

        await CountAsync();
        _total = 0;
    }

    /// <summary>The requests counted since <see cref="StartAsync"/>.</summary>
    public async Task<long> CountAsync()
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var server in await _servers())
            {
                _total += await CountNewAsync(server);
            }

            return _total;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> CountNewAsync(RedisServer server)
    {
        // Each entry: [id, unix time, microseconds, [command words], client address, client name].
        using var log = JsonDocument.Parse(await server.CliAsync("--json", "SLOWLOG", "GET", "100000"));
        var last = _lastSeen.GetValueOrDefault(server.Port, -1);
        var newest = last;
        long counted = 0;
        foreach (var entry in log.RootElement.EnumerateArray())
        {
            var id = entry[0].GetInt64();
            newest = Math.Max(newest, id);
            var command = entry[3][0].GetString() ?? "";
            if (id > last && entry[4].GetString() != "?:0" && !Housekeeping.Contains(command))
            {
                counted++;
            }
        }

        _lastSeen[server.Port] = newest;
        return counted;
    }
}
