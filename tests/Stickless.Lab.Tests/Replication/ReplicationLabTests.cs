using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Report;
using Xunit;

namespace Stickless.Lab.Tests.Replication;

/// <summary>The lab's pieces for peer replication that need no running deployment.</summary>
public sealed class ReplicationLabTests
{
    private static readonly LabNodePlan[] Nodes = [new(1, "node1", 5001), new(2, "node2", 5002)];

    [Fact]
    public void Render_OwnerRouteCookie_ReadsTheCookieWithoutInsertingOne()
    {
        var text = HaproxyConfiguration.Render(8080, 9000, Nodes, sticky: false, ReplicationStrategy.OwnerCookie);

        Assert.Contains("    cookie STICKLESS_OWNER\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("insert indirect", text, StringComparison.Ordinal);
        Assert.Contains("server node1 127.0.0.1:5001 check cookie node1", text, StringComparison.Ordinal);
        Assert.Contains("balance roundrobin", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Strategies_ReplicationNames_AreRegisteredWithTheirFaults()
    {
        foreach (var name in new[] { "all-to-all", "primary-backup", "all-to-all-owner", "primary-backup-owner", "primary-backup-async", "primary-backup-proxied", "all-to-all-proxied", "primary-backup-quorum" })
        {
            Assert.True(LabStrategies.Get(name).SharesSessions);
        }

        foreach (var fault in new[] { "kill-node", "restart-node", "pause-node", "pause-node-long", "partition", "partition-peers" })
        {
            Assert.True(FaultRegistry.TryCreate(fault, out _), fault);
        }
    }

    [Fact]
    public void Merge_SameStrategyAtAnotherNodeCount_KeepsBothRuns()
    {
        var earlier = new BenchResults { Runs = [Run("primary-backup", nodes: 2)] };

        var merged = ReportWriter.Merge(earlier, new BenchResults { Runs = [Run("primary-backup", nodes: 6)] });

        Assert.Equal([2, 6], merged.Runs.Select(r => r.Nodes));
    }

    [Fact]
    public void Render_ReplicationRuns_ChartsBytesPerWriteAndMemoryAgainstN()
    {
        var runs = new BenchResults
        {
            Runs =
            [
                Run("all-to-all", nodes: 2) with { ReplicationBytesPerWrite = 320, BytesHeldPerNode = new Dictionary<string, long> { ["node1"] = 3000 } },
                Run("all-to-all", nodes: 4) with { ReplicationBytesPerWrite = 960, BytesHeldPerNode = new Dictionary<string, long> { ["node1"] = 3000 } },
                Run("primary-backup", nodes: 4) with { ReplicationBytesPerWrite = 320, BytesHeldPerNode = new Dictionary<string, long> { ["node1"] = 1500 } },
            ],
        };

        var html = HtmlReport.Render(runs, DateTimeOffset.UnixEpoch);

        Assert.Contains("Peer replication against the number of nodes", html, StringComparison.Ordinal);
        Assert.Contains("Replication bytes per write", html, StringComparison.Ordinal);
        Assert.Contains("Session bytes held per node", html, StringComparison.Ordinal);
        var section = html[html.IndexOf("Peer replication against", StringComparison.Ordinal)..html.IndexOf("Second by second", StringComparison.Ordinal)];
        Assert.Contains("nodes (N)", section, StringComparison.Ordinal);
        Assert.Contains(">960<", section, StringComparison.Ordinal);
        Assert.Contains(">1,500<", section, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartServicesAsync_ProxiedStrategy_PlacesOneFaultProxyPerDirectionAndConfiguresPeersThroughThem()
    {
        var directory = Directory.CreateTempSubdirectory("stickless-peer-links-").FullName;
        try
        {
            await using var supervisor = new ProcessSupervisor(Path.Combine(directory, "pids"), "test");
            LabNodePlan[] nodes = [new(1, "node1", 5001), new(2, "node2", 5002), new(3, "node3", 5003)];
            var context = new StrategyContext(directory, new LabTestLog(), new PortAllocator(), nodes, new Dictionary<string, string>(), supervisor);
            await using var links = context.Links;

            await ReplicationStrategy.PrimaryBackupProxied.StartServicesAsync(context, CancellationToken.None);
            var configuration = ReplicationStrategy.PrimaryBackupProxied.NodeConfiguration(context, nodes[0]).ToDictionary(static p => p.Key, static p => p.Value);

            Assert.Equal(6, links.All.Count);
            Assert.Equal("http://127.0.0.1:5001", configuration["Stickless:Replication:Peers:0:Url"]);
            Assert.Equal("http://" + links.Find("node1", "node2")!.Proxy.Endpoint, configuration["Stickless:Replication:Peers:1:Url"]);
            Assert.Equal("http://" + links.Find("node1", "node3")!.Proxy.Endpoint, configuration["Stickless:Replication:Peers:2:Url"]);
            Assert.Equal(5002, links.Find("node1", "node2")!.Proxy.Upstream.Port);
            Assert.Equal(
                ["node1→node3", "node2→node3", "node3→node1", "node3→node2"],
                PartitionPeersFault.CrossLinks(links, ["node1", "node2"], ["node3"]).Select(static l => l.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartServicesAsync_DirectStrategy_PlacesNoProxy()
    {
        var directory = Directory.CreateTempSubdirectory("stickless-peer-links-").FullName;
        try
        {
            await using var supervisor = new ProcessSupervisor(Path.Combine(directory, "pids"), "test");
            LabNodePlan[] nodes = [new(1, "node1", 5001), new(2, "node2", 5002)];
            var context = new StrategyContext(directory, new LabTestLog(), new PortAllocator(), nodes, new Dictionary<string, string>(), supervisor);

            await ReplicationStrategy.PrimaryBackup.StartServicesAsync(context, CancellationToken.None);

            Assert.Empty(context.Links.All);
            Assert.Contains(new KeyValuePair<string, string>("Stickless:Replication:Peers:1:Url", "http://127.0.0.1:5002"), ReplicationStrategy.PrimaryBackup.NodeConfiguration(context, nodes[0]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("partition-peers")]
    [InlineData("partition")]
    public void TryParse_PartitionPeers_TakesFaultForAndRefusesAHoldTooShortToNotice(string fault)
    {
        Assert.True(ChaosArguments.TryParse(["--strategy", "primary-backup-proxied", "--fault", fault, "--fault-for", "6s", "--duration", "20"], out var parsed, out var errors), string.Join("; ", errors));
        Assert.Equal(TimeSpan.FromSeconds(6), parsed.Settings.HoldFor);

        Assert.False(ChaosArguments.TryParse(["--strategy", "primary-backup-proxied", "--fault", fault, "--fault-for", "2s"], out _, out errors));
        Assert.Contains(errors, static e => e.Contains("at least 4 s", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_PartitionPeersLongerThanTheRun_IsRefused()
    {
        Assert.False(ChaosArguments.TryParse(["--strategy", "all-to-all-proxied", "--fault", "partition-peers", "--duration", "10", "--fault-at", "0.4"], out _, out var errors));
        Assert.Contains(errors, static e => e.Contains("outlast the run", StringComparison.Ordinal));
    }

    private static RunResult Run(string strategy, int nodes) => new()
    {
        Strategy = strategy,
        Requests = 1000,
        Rps = 100,
        Nodes = nodes,
        Users = 10,
        DurationSeconds = 10,
        ReplicationMode = strategy == "all-to-all" ? "AllToAll" : "PrimaryBackup",
    };
}
