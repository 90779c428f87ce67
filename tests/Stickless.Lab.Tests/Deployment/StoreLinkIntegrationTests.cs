using System.Diagnostics;
using System.Net;
using Stickless.Lab.Deployment;
using Stickless.Lab.Network;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>
/// A real redis deployment (Festa nodes, HAProxy, redis-server) with a fault proxy on every node → store link: each
/// node goes through its own, so one node's store can be cut while the others' stays whole.
/// </summary>
[Collection(BenchFixture.Collection)]
public sealed class StoreLinkIntegrationTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(4);
    private readonly BenchFixture fixture;
    private readonly LabTestLog log = new();

    public StoreLinkIntegrationTests(BenchFixture fixture) => this.fixture = fixture;

    [Fact]
    public async Task StartAsync_ProxyStoreLinks_EachNodeReachesRedisThroughItsOwnProxy()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var deployment = await StartAsync(timeout.Token);
        await using (deployment)
        {
            var redis = Assert.Single(deployment.Services);
            Assert.Equal(["node1→redis", "node2→redis", "node3→redis"], deployment.Links.All.Select(static l => l.Name));
            foreach (var link in deployment.Links.All)
            {
                var arguments = await File.ReadAllTextAsync(Path.Combine(deployment.RunDirectory, link.From + ".args"), timeout.Token);
                Assert.Contains($"--Stickless:Redis:Configuration={link.Proxy.Endpoint}", arguments, StringComparison.Ordinal);
                Assert.Equal(redis.Port, link.Proxy.Upstream.Port);
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            foreach (var node in deployment.Nodes)
            {
                Assert.Equal(HttpStatusCode.OK, (await CounterAsync(http, node, timeout.Token)).Status);
            }

            Assert.All(deployment.Links.All, l => Assert.True(l.Proxy.Counters().ForwardedToServer > 0, l.Name));
        }

        Assert.All(deployment.Services, s => Assert.False(s.IsAlive, s.Name));
        Assert.Empty(fixture.LeftoverPidFiles());
    }

    [Fact]
    public async Task Blackhole_OneNodesStoreLink_ThatNodeFailsClosedWithinTheStoreTimeoutAndTheOthersServe()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var deployment = await StartAsync(timeout.Token);
        await using (deployment)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var (node1, node2) = (deployment.Nodes[0], deployment.Nodes[1]);
            Assert.Equal(HttpStatusCode.OK, (await CounterAsync(http, node1, timeout.Token)).Status);

            deployment.Links.Find("node1", "redis")!.Proxy.Faults = LinkFaults.Blackhole;
            var cut = await CounterAsync(http, node1, timeout.Token);
            var whole = await CounterAsync(http, node2, timeout.Token);

            // A new session's commit waits out the store timeout (2 s), then fails closed; no hang, no success.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, cut.Status);
            Assert.InRange(cut.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(3));
            Assert.Equal(HttpStatusCode.OK, whole.Status);

            deployment.Links.Find("node1", "redis")!.Proxy.Faults = LinkFaults.None;
            var attempts = new List<string>();
            var healed = Stopwatch.StartNew();
            while (true)
            {
                var (status, elapsed) = await CounterAsync(http, node1, timeout.Token);
                attempts.Add($"{healed.Elapsed.TotalSeconds:0.0}s {(int)status} in {elapsed.TotalMilliseconds:0} ms");
                if (status == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(healed.Elapsed < TimeSpan.FromSeconds(60),
                    $"node1 not served again 60 s after the heal: {string.Join("; ", attempts)}; proxy {deployment.Links.Find("node1", "redis")!.Proxy.Counters()}\n"
                    + File.ReadAllText(Path.Combine(deployment.RunDirectory, "logs", "node1.log"))[^4000..]);

                // The node's client drops the silent connection and reconnects.
                await Task.Delay(100, timeout.Token);
            }
        }

        Assert.Empty(fixture.LeftoverPidFiles());
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Elapsed)> CounterAsync(HttpClient http, LabNode node, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync(new Uri(node.Url, "counter"), content: null, ct);
        return (response.StatusCode, watch.Elapsed);
    }

    private async Task<LabDeployment> StartAsync(CancellationToken ct)
    {
        try
        {
            return await LabDeployment.StartAsync(
                new DeploymentSpec("redis", 3, fixture.Paths.RunDirectory("store-links")) { Paths = fixture.Paths, ProxyStoreLinks = true }, log, ct);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"redis with proxied store links did not start: {exception.Message}{Environment.NewLine}{log}", exception);
        }
    }
}
