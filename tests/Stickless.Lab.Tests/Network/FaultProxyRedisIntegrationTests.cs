using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Network;
using Stickless.Lab.Tests.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Network;

/// <summary>The fault proxy in front of a real redis-server (started by the redis strategy, stopped by pid), spoken to in RESP.</summary>
public sealed class FaultProxyRedisIntegrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SlowReplies_Ping_EachRoundTripGrowsByTheLatency()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var redis = await RedisServicesHarness.StartAsync(new RedisStrategy(), timeout.Token);
        var port = redis.Services.Single().Port;
        await using var proxy = FaultProxy.Start("test->redis", new IPEndPoint(IPAddress.Loopback, port));
        using var direct = await TestClient.ConnectAsync(port, timeout.Token);
        using var proxied = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        var latency = TimeSpan.FromMilliseconds(250);

        var baseline = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            baseline.Add((await direct.RoundTripAsync("PING\r\n", 7, Reply, timeout.Token)).Elapsed);
        }

        proxy.Faults = LinkFaults.SlowReplies(latency);
        var slowed = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var (reply, elapsed) = await proxied.RoundTripAsync("PING\r\n", 7, Reply, timeout.Token);
            Assert.Equal("+PONG\r\n", reply);
            slowed.Add(elapsed);
        }

        // At least the latency, and no more than it plus what a shared machine adds (its baseline is a fraction of a millisecond).
        Assert.All(slowed, t => Assert.InRange(t, latency, latency + TimeSpan.FromSeconds(2)));
        Assert.True(baseline.Min() < latency, string.Join(", ", baseline));
    }

    [Fact]
    public async Task Blackhole_Set_ClientTimesOutRedisSeesNothingAndTheHeldCommandRunsOnHeal()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var redis = await RedisServicesHarness.StartAsync(new RedisStrategy(), timeout.Token);
        var port = redis.Services.Single().Port;
        await using var proxy = FaultProxy.Start("test->redis", new IPEndPoint(IPAddress.Loopback, port));
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        Assert.Equal("+PONG\r\n", (await client.RoundTripAsync("PING\r\n", 7, Reply, timeout.Token)).Reply);
        proxy.Faults = LinkFaults.Blackhole;

        var watch = Stopwatch.StartNew();
        await client.SendAsync("SET blackholed yes\r\n", timeout.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReceiveAsync(1, TimeSpan.FromSeconds(1), timeout.Token));

        // The client's own timeout is what ended the wait: Redis never answered, and never saw the command.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), watch.Elapsed.ToString());
        Assert.Null(await RedisLabClient.ExecuteAsync(port, ["GET", "blackholed"], timeout.Token));

        // Healed: the command a client gave up on still arrives and runs ("outcome unknown" is not "not done").
        proxy.Faults = LinkFaults.None;
        Assert.Equal("+OK\r\n", await client.ReceiveTextAsync(5, Reply, timeout.Token));
        Assert.Equal("yes", await RedisLabClient.ExecuteAsync(port, ["GET", "blackholed"], timeout.Token));
    }

    [Fact]
    public async Task ResetConnections_OpenRedisConnection_ClientSeesResetAndRedisLosesThatClient()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var redis = await RedisServicesHarness.StartAsync(new RedisStrategy(), timeout.Token);
        var port = redis.Services.Single().Port;
        await using var proxy = FaultProxy.Start("test->redis", new IPEndPoint(IPAddress.Loopback, port));
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("CLIENT SETNAME proxied\r\n", 5, Reply, timeout.Token);
        Assert.Contains("name=proxied", await ClientListAsync(port, timeout.Token), StringComparison.Ordinal);

        proxy.ResetConnections();

        var error = await Assert.ThrowsAsync<SocketException>(() => client.RoundTripAsync("PING\r\n", 7, Reply, timeout.Token));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        while ((await ClientListAsync(port, timeout.Token)).Contains("name=proxied", StringComparison.Ordinal))
        {
            // Redis closes its side once it reads the reset; the test's token bounds the wait.
            await Task.Delay(10, timeout.Token);
        }
    }

    private static async Task<string> ClientListAsync(int port, CancellationToken ct) =>
        (string?)await RedisLabClient.ExecuteAsync(port, ["CLIENT", "LIST"], ct) ?? string.Empty;
}
