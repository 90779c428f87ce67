using System.Net;
using System.Net.Sockets;
using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Replication;
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

        foreach (var fault in new[] { "kill-node", "restart-node", "pause-node", "pause-node-long", "partition" })
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
    public async Task PeerLink_CutThenHealed_DropsWhileCutAndForwardsAgain()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var echoing = Task.Run(async () =>
        {
            while (true)
            {
                var socket = await echo.AcceptSocketAsync();
                _ = Task.Run(async () =>
                {
                    var buffer = new byte[256];
                    int read;
                    try
                    {
                        while ((read = await socket.ReceiveAsync(buffer)) > 0)
                        {
                            await socket.SendAsync(buffer.AsMemory(0, read));
                        }
                    }
                    catch (SocketException)
                    {
                    }

                    socket.Dispose();
                });
            }
        });
        await using var link = new PeerLink(((IPEndPoint)echo.LocalEndpoint).Port);

        Assert.Equal("one", await RoundTripAsync(link.Port, "one", TimeSpan.FromSeconds(5)));
        link.Cut();
        Assert.Null(await RoundTripAsync(link.Port, "two", TimeSpan.FromMilliseconds(500)));
        Assert.True(link.BytesDropped > 0);
        await link.HealAsync();
        Assert.Equal("three", await RoundTripAsync(link.Port, "three", TimeSpan.FromSeconds(5)));
        echo.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => echoing);
    }

    private static async Task<string?> RoundTripAsync(int port, string text, TimeSpan wait)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text));
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
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
