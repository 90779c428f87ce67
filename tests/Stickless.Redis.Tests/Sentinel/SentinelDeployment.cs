using System.Diagnostics;
using System.Globalization;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>
/// A class fixture: a real master, one replica (<c>--replicaof</c>) and three sentinels (quorum 2, down-after
/// 1 s), all on free loopback ports. Ready once every sentinel agrees on the master and knows a healthy replica
/// and the two other sentinels. Everything is stopped by pid afterwards.
/// </summary>
public sealed class SentinelDeployment : IAsyncLifetime
{
    public const string MasterName = "mymaster";
    public const int DownAfterMs = 1000;
    public const int FailoverTimeoutMs = 5000;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly List<RedisServer> _nodes = [];
    private readonly List<SentinelProcess> _sentinels = [];

    /// <summary>The connection string: the sentinels and the service name.</summary>
    public string Configuration => string.Join(",", _sentinels.Select(s => s.Endpoint)) + ",serviceName=" + MasterName;

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    public IReadOnlyList<SentinelProcess> Sentinels => _sentinels;

    public async Task InitializeAsync()
    {
        var master = await RedisServer.StartAsync();
        _nodes.Add(master);
        _nodes.Add(await RedisServer.StartAsync("--replicaof", "127.0.0.1", master.Port.ToString(CultureInfo.InvariantCulture)));
        var sentinels = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SentinelProcess.StartAsync(MasterName, master.Port, DownAfterMs, FailoverTimeoutMs)));
        _sentinels.AddRange(sentinels);
        await WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var sentinel in _sentinels) { await sentinel.DisposeAsync(); }
        foreach (var node in _nodes) { await node.DisposeAsync(); }
    }

    /// <summary>The node the sentinels report as master.</summary>
    public async Task<RedisServer> MasterAsync()
    {
        var port = await MasterPortAsync(_sentinels[0]);
        return _nodes.Single(n => n.Port == port);
    }

    /// <summary>
    /// Waits until every sentinel names the same master, sees a replica with flags exactly <c>slave</c> and its
    /// link up, and knows the two other sentinels; and the master reports an online replica. Polls (100 ms)
    /// with a deadline.
    /// </summary>
    public async Task WaitUntilHealthyAsync()
    {
        var watch = Stopwatch.StartNew();
        string last = "nothing checked";
        while (watch.Elapsed < ReadyTimeout)
        {
            last = await DescribeProblemAsync() ?? "";
            if (last.Length == 0) { return; }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The Sentinel deployment was not healthy within {ReadyTimeout}: {last}");
    }

    private async Task<string?> DescribeProblemAsync()
    {
        var ports = await Task.WhenAll(_sentinels.Select(MasterPortAsync));
        if (ports.Distinct().Count() != 1 || ports[0] == 0) { return $"sentinels disagree on the master: {string.Join(", ", ports)}"; }
        var master = _nodes.SingleOrDefault(n => n.Port == ports[0]);
        if (master is null) { return $"master port {ports[0]} is not a node of ours"; }
        var replication = await master.CliAsync("INFO", "replication");
        if (!replication.Contains("role:master", StringComparison.Ordinal) || !replication.Contains("state=online", StringComparison.Ordinal))
        {
            return $"master {ports[0]} has no online replica";
        }
        foreach (var sentinel in _sentinels)
        {
            var replicas = Fields(await sentinel.CliAsync("SENTINEL", "replicas", MasterName));
            if (!replicas.Any(r => r.GetValueOrDefault("flags") == "slave" && r.GetValueOrDefault("master-link-status") == "ok"))
            {
                return $"sentinel {sentinel.Port} knows no healthy replica";
            }
            var peers = Fields(await sentinel.CliAsync("SENTINEL", "sentinels", MasterName));
            if (peers.Count(p => p.GetValueOrDefault("flags") == "sentinel") < 2)
            {
                return $"sentinel {sentinel.Port} knows {peers.Count} other sentinels";
            }
        }
        return null;
    }

    private static async Task<int> MasterPortAsync(SentinelProcess sentinel)
    {
        var lines = (await sentinel.CliAsync("SENTINEL", "get-master-addr-by-name", MasterName)).Split('\n');
        return lines.Length == 2 && int.TryParse(lines[1].Trim(), CultureInfo.InvariantCulture, out var port) ? port : 0;
    }

    /// <summary>redis-cli prints a list of field/value arrays one element a line; each entry starts at its "name" field.</summary>
    private static List<Dictionary<string, string>> Fields(string output)
    {
        var entries = new List<Dictionary<string, string>>();
        var lines = output.Split('\n').Select(l => l.Trim()).ToArray();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (lines[i] == "name") { entries.Add(new Dictionary<string, string>(StringComparer.Ordinal)); }
            if (entries.Count > 0) { entries[^1][lines[i]] = lines[i + 1]; }
        }
        return entries;
    }
}
