using System.Diagnostics;
using System.Globalization;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Cluster;

/// <summary>
/// A real Redis Cluster for integration tests: 3 masters with 1 replica each (6 redis-server processes, each
/// in its own temporary folder with its own nodes.conf, node timeout 2 s), created with
/// <c>redis-cli --cluster create … --cluster-replicas 1</c>. Ready once every node reports
/// <c>cluster_state:ok</c> with all 16384 slots; disposing kills every process by pid.
/// </summary>
public class RedisClusterServers : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly List<RedisServer> _nodes = [];

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary><c>cluster-node-timeout</c>: 2 s, so that failover tests are quick.</summary>
    protected virtual int NodeTimeoutMs => 2000;

    /// <summary>The nodes that are masters now (a failover changes them).</summary>
    public async Task<IReadOnlyList<RedisServer>> MastersAsync()
    {
        var masters = new List<RedisServer>();
        foreach (var node in _nodes.Where(IsRunning))
        {
            var role = await node.CliAsync("ROLE");
            if (role.StartsWith("master", StringComparison.Ordinal))
            {
                masters.Add(node);
            }
        }

        return masters;
    }

    /// <summary>A connection string listing every node (StackExchange.Redis finds out that they form a cluster).</summary>
    public string Endpoints => string.Join(",", _nodes.Select(n => n.Endpoint));

    /// <summary>How long starting and forming the cluster took.</summary>
    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        string[] args = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", NodeTimeoutMs.ToString(CultureInfo.InvariantCulture), "--cluster-replica-validity-factor", "0", "--repl-diskless-sync-delay", "0"];
        var servers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RedisServer.StartAsync(args)));
        _nodes.AddRange(servers);
        var create = await RunCliAsync(["--cluster", "create", .. _nodes.Select(n => n.Endpoint), "--cluster-replicas", "1", "--cluster-yes"]);
        if (!create.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed:{Environment.NewLine}{create}");
        }

        var ports = _nodes.Select(n => n.Port.ToString(CultureInfo.InvariantCulture)).ToArray();
        await WaitUntilAsync(
            async () => (await Task.WhenAll(_nodes.Select(n => IsReadyAsync(n, ports)))).All(ok => ok),
            ReadyTimeout,
            "the cluster never reported cluster_state:ok, synced replicas and every node in CLUSTER SLOTS on every node");
        StartupTime = started.Elapsed;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>A started store on this cluster with the sweeper off unless <paramref name="configure"/> turns it on.</summary>
    public RedisSessionStore CreateStore(Action<RedisSessionStoreOptions>? configure = null, SessionEventPublisher? events = null)
    {
        var options = new RedisSessionStoreOptions { Configuration = Endpoints, SweepInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        var store = new RedisSessionStore(options, events);
        store.StartAsync(CancellationToken.None).GetAwaiter().GetResult(); // returns at once: it only arms timers
        return store;
    }

    /// <summary>The node listening on <paramref name="port"/>.</summary>
    public RedisServer NodeAt(int port) => _nodes.Single(n => n.Port == port);

    /// <summary>redis-cli -c (following redirections) on any live node.</summary>
    public Task<string> CliAsync(params string[] args) => RunCliAsync(["-c", "-h", "127.0.0.1", "-p", FirstLive().Port.ToString(CultureInfo.InvariantCulture), .. args]);

    /// <summary>The port of the master that owns <paramref name="key"/>'s slot, as the cluster says.</summary>
    public async Task<int> MasterPortOfAsync(string key)
    {
        var slot = int.Parse(await FirstLive().CliAsync("CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);
        foreach (var line in (await FirstLive().CliAsync("CLUSTER", "NODES")).Split('\n'))
        {
            var fields = line.Trim().Split(' ');
            if (fields.Length < 9 || !fields[2].Contains("master", StringComparison.Ordinal) || fields[2].Contains("fail", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var range in fields[8..])
            {
                if (range.StartsWith('['))
                {
                    continue;
                }

                var bounds = range.Split('-');
                var start = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                var end = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : start;
                if (slot >= start && slot <= end)
                {
                    return int.Parse(fields[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture);
                }
            }
        }

        throw new InvalidOperationException($"No master owns slot {slot}.");
    }

    /// <summary>The expiry bucket of session <paramref name="id"/>: <c>stickless:expiry:{b&lt;slot mod 16&gt;}</c>.</summary>
    public async Task<string> BucketOfAsync(string id)
    {
        var slot = int.Parse(await FirstLive().CliAsync("CLUSTER", "KEYSLOT", id), CultureInfo.InvariantCulture);
        return "stickless:expiry:{b" + (slot % RedisClusterKeys.ExpiryBucketCount).ToString(CultureInfo.InvariantCulture) + "}";
    }

    /// <summary>The node id of the node on <paramref name="port"/>.</summary>
    public Task<string> NodeIdAsync(int port) => NodeAt(port).CliAsync("CLUSTER", "MYID");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s: {what}.");
            }

            await Task.Delay(50);
        }
    }

    private RedisServer FirstLive() => _nodes.First(n => IsRunning(n));

    private static bool IsRunning(RedisServer node)
    {
        try
        {
            return node.Pid > 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<bool> IsReadyAsync(RedisServer node, string[] ports)
    {
        var info = await node.CliAsync("CLUSTER", "INFO");
        if (!info.Contains("cluster_state:ok", StringComparison.Ordinal) || !info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal))
        {
            return false;
        }

        // Replication must be running too (a replica synced, its master sees it online), or WAIT and failover tests start too early.
        var replication = await node.CliAsync("INFO", "replication");
        var synced = replication.Contains("role:slave", StringComparison.Ordinal)
            ? replication.Contains("master_link_status:up", StringComparison.Ordinal)
            : replication.Contains("state=online", StringComparison.Ordinal);
        if (!synced)
        {
            return false;
        }

        // CLUSTER SLOTS lists a replica only once it is known healthy; clients read their map from it.
        var slots = (await node.CliAsync("CLUSTER", "SLOTS")).Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        return ports.All(slots.Contains);
    }

    private static async Task<string> RunCliAsync(string[] args)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return ((await output) + (await error)).Trim();
    }
}
