using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stickless.Lab.Network;
using Xunit;
using Stickless.Testing;

namespace Stickless.Lab.Tests.Network;

/// <summary>
/// The fault proxy against a small echo server inside the test: each fault measured doing what it says. Every wait is
/// on an event (bytes received, a reply, a reset) bounded by a generous timeout; "nothing arrives" is checked over a
/// short window, the only way to see an absence.
/// </summary>
public sealed class FaultProxyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Forward_NoFaults_EchoesEveryByteInOrder()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        var data = Pattern(1024 * 1024);

        var echoed = client.ReceiveAsync(data.Length, Bound, timeout.Token);
        await client.SendAsync(data, timeout.Token);

        Assert.Equal(data, await echoed);
        var counters = proxy.Counters();
        Assert.Equal(data.Length, counters.ForwardedToServer);
        Assert.Equal(data.Length, counters.ForwardedToClient);
        Assert.Equal(0, counters.Discarded);
    }

    [Fact]
    public async Task Latency_ChangedWhileOpen_AppliesToTheOpenConnection()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        var (_, before) = await client.RoundTripAsync("a", 1, Bound, timeout.Token);

        proxy.Faults = LinkFaults.SlowReplies(TimeSpan.FromMilliseconds(300));
        var (reply, slowed) = await client.RoundTripAsync("b", 1, Bound, timeout.Token);
        proxy.Faults = LinkFaults.None;
        var (_, after) = await client.RoundTripAsync("c", 1, Bound, timeout.Token);

        Assert.Equal("b", reply);
        Assert.InRange(slowed, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300) + TimeSpan.FromSeconds(3));
        Assert.True(before < TimeSpan.FromMilliseconds(300), $"before: {before}");
        Assert.True(after < TimeSpan.FromMilliseconds(300), $"after: {after}");
    }

    [Fact]
    public async Task Latency_LoweredWhileBytesWait_HeldBytesFollowTheNewValue()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = new LinkFaults { ClientToServer = new DirectionFaults { Latency = TimeSpan.FromSeconds(30) } };

        var watch = Stopwatch.StartNew();
        var echoed = client.ReceiveTextAsync(1, Bound, timeout.Token);
        await client.SendAsync("b", timeout.Token);
        await WaitUntilAsync(() => proxy.Counters().Buffered == 1, timeout.Token);
        proxy.Faults = new LinkFaults { ClientToServer = new DirectionFaults { Latency = TimeSpan.FromMilliseconds(200) } };

        Assert.Equal("b", await echoed);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Jitter_SpreadsDelaysWithinBoundsAndKeepsOrder()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint, new FaultProxyOptions { Seed = 7 });
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        proxy.Faults = new LinkFaults
        {
            ClientToServer = new DirectionFaults { Latency = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(80) },
        };

        var times = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            var text = ((char)('a' + i)).ToString();
            var (reply, elapsed) = await client.RoundTripAsync(text, 1, Bound, timeout.Token);
            Assert.Equal(text, reply);
            times.Add(elapsed);
        }

        // One way: 100 ms ± 80 ms, so 20 ms to 180 ms (plus what a loaded machine adds).
        Assert.All(times, t => Assert.InRange(t, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(180) + TimeSpan.FromSeconds(2)));
        Assert.True(times.Max() - times.Min() > TimeSpan.FromMilliseconds(40), string.Join(", ", times.Select(t => t.TotalMilliseconds)));

        // A burst keeps its order however the delays fall.
        var burst = Pattern(64);
        var echoed = client.ReceiveAsync(burst.Length, Bound, timeout.Token);
        foreach (var b in burst)
        {
            await client.SendAsync(new[] { b }, timeout.Token);
        }

        Assert.Equal(burst, await echoed);
    }

    [Fact]
    public async Task BandwidthCap_OnReplies_HoldsThroughputToTheCap()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        proxy.Faults = new LinkFaults { ServerToClient = new DirectionFaults { BytesPerSecond = 100_000 } };
        var data = Pattern(200_000);

        var watch = Stopwatch.StartNew();
        var echoed = client.ReceiveAsync(data.Length, Bound, timeout.Token);
        await client.SendAsync(data, timeout.Token);
        var received = await echoed;
        var elapsed = watch.Elapsed;

        Assert.Equal(data, received);

        // 200,000 bytes at 100,000 B/s: 2 s, less the first 50 ms slice; never faster, and not much slower.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task ResetProbability_One_ClientSeesConnectionReset()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = new LinkFaults { ClientToServer = new DirectionFaults { ResetProbability = 1 } };

        await client.SendAsync("b", timeout.Token);

        var error = await Assert.ThrowsAsync<SocketException>(() => client.ReceiveAsync(1, Bound, timeout.Token));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        Assert.Equal(1, proxy.Counters().Resets);
    }

    [Fact]
    public async Task ResetConnections_OpenConnection_ClientSeesConnectionReset()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);

        Assert.Equal(1, proxy.ResetConnections());

        var error = await Assert.ThrowsAsync<SocketException>(() => client.ReceiveAsync(1, Bound, timeout.Token));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [Fact]
    public async Task ResetNewConnections_NewClient_IsResetAndOpenOnesKeepWorking()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var open = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await open.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = new LinkFaults { ResetNewConnections = true };

        await AssertNewConnectionResetAsync(proxy.Port, timeout.Token);

        Assert.Equal("b", (await open.RoundTripAsync("b", 1, Bound, timeout.Token)).Reply);
        Assert.Equal(1, proxy.Counters().Rejected);
    }

    [Fact]
    public async Task DropClose_FirstChunk_ClientSeesEndOfStreamNotReset()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = new LinkFaults { ClientToServer = new DirectionFaults { DropProbability = 1, DropMode = DropMode.Close } };

        await client.SendAsync("b", timeout.Token);

        Assert.Empty(await client.ReceiveAsync(1, Bound, timeout.Token));
        Assert.Equal(1, proxy.Counters().Drops);
        Assert.Equal(1, server.Received);
    }

    [Fact]
    public async Task DropDiscard_OnReplies_BytesVanishAndTheConnectionGoesOn()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = new LinkFaults { ServerToClient = new DirectionFaults { DropProbability = 1, DropMode = DropMode.Discard } };

        await client.SendAsync("lost", timeout.Token);
        await server.WhenReceivedAsync(5).WaitAsync(timeout.Token);
        await WaitUntilAsync(() => proxy.Counters().Discarded >= 4, timeout.Token);
        proxy.Faults = LinkFaults.None;

        Assert.Equal("kept", (await client.RoundTripAsync("kept", 4, Bound, timeout.Token)).Reply);
        Assert.Equal(4, proxy.Counters().Discarded);
    }

    [Fact]
    public async Task Blackhole_OpenAndNewConnections_NothingAnswersUntilHealedAndNothingIsLost()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var open = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await open.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = LinkFaults.Blackhole;

        // Accepted, but never connected upstream and never answered.
        using var fresh = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await fresh.SendAsync("x", timeout.Token);
        await open.SendAsync("y", timeout.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open.ReceiveAsync(1, Silence, timeout.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fresh.ReceiveAsync(1, Silence, timeout.Token));
        Assert.Equal(1, server.Received);
        Assert.Equal(1, server.Connections);

        // Healed: what was sent into the hole arrives late, in order, as TCP would deliver it.
        proxy.Faults = LinkFaults.None;
        Assert.Equal("yz", (await open.RoundTripAsync("z", 2, Bound, timeout.Token)).Reply);
        Assert.Equal("xw", (await fresh.RoundTripAsync("w", 2, Bound, timeout.Token)).Reply);
        Assert.Equal(0, proxy.Counters().Discarded);
    }

    [Fact]
    public async Task DiscardBothWays_OpenAndNewConnections_BytesSentMeanwhileVanish()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var open = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await open.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = new LinkFaults { ClientToServer = new DirectionFaults { Discard = true }, ServerToClient = new DirectionFaults { Discard = true } };

        using var fresh = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await fresh.SendAsync("x", timeout.Token);
        await open.SendAsync("y", timeout.Token);
        await WaitUntilAsync(() => proxy.Counters().Discarded == 2, timeout.Token);
        Assert.Equal(1, server.Received);
        Assert.Equal(1, server.Connections);

        proxy.Faults = LinkFaults.None;
        Assert.Equal("z", (await open.RoundTripAsync("z", 1, Bound, timeout.Token)).Reply);
        Assert.Equal("w", (await fresh.RoundTripAsync("w", 1, Bound, timeout.Token)).Reply);
    }

    [Fact]
    public async Task Blackhole_UpstreamDown_AcceptsAndAnswersNothing()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var unused = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Next());
        await using var proxy = FaultProxy.Start("test", unused);
        proxy.Faults = LinkFaults.Blackhole;

        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.SendAsync("PING\r\n", timeout.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReceiveAsync(1, Silence, timeout.Token));
        Assert.Equal(1, proxy.OpenConnections);
    }

    [Fact]
    public async Task UpstreamDown_NoFaults_ClientIsReset()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var proxy = FaultProxy.Start("test", new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Next()));

        await AssertNewConnectionResetAsync(proxy.Port, timeout.Token);
        Assert.Equal(1, proxy.Counters().Resets);
    }

    [Fact]
    public async Task PartitionClientToServer_BytesAreHeldAndDeliveredOnHeal()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = LinkFaults.Partition(clientToServer: true, serverToClient: false);

        await client.SendAsync("held", timeout.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReceiveAsync(1, Silence, timeout.Token));
        Assert.Equal(1, server.Received);

        proxy.Faults = LinkFaults.None;
        Assert.Equal("held", await client.ReceiveTextAsync(4, Bound, timeout.Token));
        Assert.Equal(0, proxy.Counters().Discarded);
    }

    [Fact]
    public async Task PartitionServerToClient_ServerGetsTheBytesTheClientGetsNothingUntilHealed()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = LinkFaults.Partition(clientToServer: false, serverToClient: true);

        await client.SendAsync("one way", timeout.Token);
        await server.WhenReceivedAsync(8).WaitAsync(timeout.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReceiveAsync(1, Silence, timeout.Token));

        proxy.Faults = LinkFaults.None;
        Assert.Equal("one way", await client.ReceiveTextAsync(7, Bound, timeout.Token));
    }

    [Fact]
    public async Task SlowLink_SenderFasterThanTheLink_BufferStaysWithinTheCap()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Sink();
        var options = new FaultProxyOptions { MaxBufferedBytesPerDirection = 64 * 1024, ReadChunkBytes = 4096 };
        await using var proxy = FaultProxy.Start("test", server.Endpoint, options);
        using var client = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        proxy.Faults = new LinkFaults { ClientToServer = new DirectionFaults { Latency = TimeSpan.FromMinutes(5) } };

        // Far more than the proxy may hold and the kernel buffers take: the send can only finish once the link drains.
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var sending = client.SendAsync(Pattern(16 * 1024 * 1024), stopSending.Token);
        await WaitUntilAsync(() => proxy.Counters().Buffered >= options.MaxBufferedBytesPerDirection - options.ReadChunkBytes, timeout.Token);
        var peak = proxy.Counters().Buffered;

        Assert.False(sending.IsCompleted);
        Assert.InRange(peak, 1, options.MaxBufferedBytesPerDirection + options.ReadChunkBytes);
        Assert.Equal(0, server.Received);
        await stopSending.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task MaxConnections_Reached_NewConnectionIsReset()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint, new FaultProxyOptions { MaxConnections = 1 });
        using var first = await TestClient.ConnectAsync(proxy.Port, timeout.Token);
        await first.RoundTripAsync("a", 1, Bound, timeout.Token);

        await AssertNewConnectionResetAsync(proxy.Port, timeout.Token);

        Assert.Equal(1, proxy.Counters().Rejected);
    }

    [Fact]
    public async Task DisposeAsync_OpenConnections_ResetsThemAndStopsListening()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var server = TestTcpServer.Echo();
        var proxy = FaultProxy.Start("test", server.Endpoint);
        var port = proxy.Port;
        using var client = await TestClient.ConnectAsync(port, timeout.Token);
        await client.RoundTripAsync("a", 1, Bound, timeout.Token);
        proxy.Faults = LinkFaults.Blackhole;

        await proxy.DisposeAsync();

        var error = await Assert.ThrowsAsync<SocketException>(() => client.ReceiveAsync(1, Bound, timeout.Token));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        var refused = await Assert.ThrowsAsync<SocketException>(() => TestClient.ConnectAsync(port, timeout.Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(0, proxy.OpenConnections);
    }

    private static readonly Dictionary<string, LinkFaults> Invalid = new(StringComparer.Ordinal)
    {
        // Negative delays make no sense on a wire.
        ["latency"] = new LinkFaults { ClientToServer = new DirectionFaults { Latency = TimeSpan.FromMilliseconds(-1) } },
        ["jitter"] = new LinkFaults { ServerToClient = new DirectionFaults { Jitter = TimeSpan.FromMilliseconds(-1) } },

        // A zero cap would never let a byte through: a partition says that more clearly.
        ["bandwidth"] = new LinkFaults { ServerToClient = new DirectionFaults { BytesPerSecond = 0 } },

        // Probabilities live in [0, 1].
        ["drop"] = new LinkFaults { ClientToServer = new DirectionFaults { DropProbability = 1.5 } },
        ["reset"] = new LinkFaults { ClientToServer = new DirectionFaults { ResetProbability = double.NaN } },
    };

    public static TheoryData<string> InvalidFaults => [.. Invalid.Keys];

    [Theory]
    [MemberData(nameof(InvalidFaults))]
    public async Task Faults_Invalid_ThrowsNamingTheProblemAndKeepsTheOldFaults(string problem)
    {
        await using var server = TestTcpServer.Echo();
        await using var proxy = FaultProxy.Start("test", server.Endpoint);

        var error = Assert.Throws<ArgumentException>(() => proxy.Faults = Invalid[problem]);

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Same(LinkFaults.None, proxy.Faults);
    }

    [Fact]
    public void ToString_Faults_DescribeThemselves()
    {
        Assert.Equal("healthy", LinkFaults.None.ToString());
        Assert.Equal("black hole", LinkFaults.Blackhole.ToString());
        Assert.Equal(
            "client→server: none; server→client: latency 500 ms ± 50 ms",
            LinkFaults.SlowReplies(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50)).ToString());
        Assert.Equal("client→server: blocked; server→client: none", LinkFaults.Partition(true, false).ToString());
    }

    /// <summary>A new connection is reset: the RST can reach the client while it connects or at its first read.</summary>
    internal static async Task AssertNewConnectionResetAsync(int port, CancellationToken ct)
    {
        var error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = await TestClient.ConnectAsync(port, ct);
            await client.ReceiveAsync(1, Bound, ct);
        });
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    internal static byte[] Pattern(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }


    /// <summary>Waits for a condition the proxy exposes no event for, checking every 10 ms; the caller's token bounds it.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(10, ct);
        }
    }
}
