using System.Net;
using System.Net.Sockets;
using Stickless.Lab.Network;
using Xunit;

namespace Stickless.Lab.Tests.Network;

/// <summary>Telling loopback clients apart by the process that opened the connection.</summary>
public sealed class SocketOwnersTests
{
    private const string Table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1650 1 00000000d223134c 100 0 0 10 0
           1: 0100007F:E3D0 0100007F:9F4B 01 00000000:00000000 00:00000000 00000000     0        0 4242 1 000000001da67733 20 4 30 10 -1
           2: 0100007F:9F4B 0100007F:E3D0 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 000000001da67734 20 4 30 10 -1
           3: 0100007F:1F90 0100007F:9F4B 06 00000000:00000000 03:00000554 00000000     0        0 0 3 000000001da67735
           4: 0000000000000000FFFF00000100007F:C350 0000000000000000FFFF00000100007F:9F4B 01 00000000:00000000 00:00000000 00000000     0        0 5151 1 0
        """;

    public static TheoryData<string, int, int, string?> Lookups() => new()
    {
        { "the client side of a connection: local 58320, remote 40779", 0xE3D0, 0x9F4B, "4242" },
        { "the same connection seen from the server side is another socket", 0x9F4B, 0xE3D0, "4343" },
        { "a socket in TIME_WAIT has no inode (0): no owner", 0x1F90, 0x9F4B, null },
        { "a listening socket matches no remote port", 0x07E8, 0, null },
        { "no such connection", 1234, 5678, null },
        { "a dual-mode socket, listed as ::ffff:127.0.0.1 (tcp6)", 0xC350, 0x9F4B, "5151" },
    };

    [Theory]
    [MemberData(nameof(Lookups))]
    public void InodeOf_Table_FindsTheSocketOfThatLocalAndRemotePort(string why, int local, int remote, string? inode) =>
        Assert.True(inode == SocketOwners.InodeOf(local, remote, Table), why);

    [Fact]
    public async Task Find_ConnectionFromThisProcess_NamesIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var accepted = await listener.AcceptSocketAsync();
        var clientPort = ((IPEndPoint)accepted.RemoteEndPoint!).Port;

        Assert.Equal("me", SocketOwners.Find(clientPort, port, new Dictionary<int, string> { [Environment.ProcessId] = "me" }));
        Assert.Null(SocketOwners.Find(clientPort, port, new Dictionary<int, string> { [1] = "init" }));
    }

    [Fact]
    public async Task PlaceFront_ConnectionsFromAKnownAndAnUnknownProcess_EachThroughItsOwnLink()
    {
        await using var server = TestTcpServer.Echo();
        await using var links = new LabLinks();
        var known = true;
        var front = links.PlaceFront("server", server.Endpoint.Port, 0, ["me", "other"],
            () => known ? new Dictionary<int, string> { [Environment.ProcessId] = "me" } : new Dictionary<int, string>());

        Assert.Equal("ping", await RoundTripAsync(front.Port, "ping"));
        known = false;
        Assert.Equal("pong", await RoundTripAsync(front.Port, "pong"));

        Assert.Equal(1, links.Find("me", "server")!.Proxy.Counters().Accepted);
        Assert.Equal(0, links.Find("other", "server")!.Proxy.Counters().Accepted);
        Assert.Equal(1, links.Find(RoutedFront.UnknownSource, "server")!.Proxy.Counters().Accepted);
        Assert.Equal((1, 1), (front.Routed, front.Unknown));
    }

    [Fact]
    public async Task PlaceFront_LinkOfTheSourceBlackholed_ThatSourceIsCutOthersAreNot()
    {
        await using var server = TestTcpServer.Echo();
        await using var links = new LabLinks();
        var front = links.PlaceFront("server", server.Endpoint.Port, 0, ["me"], () => new Dictionary<int, string> { [Environment.ProcessId] = "me" });
        LabLinks.Apply([links.Find("me", "server")!], LinkFaults.Blackhole);

        Assert.Null(await RoundTripAsync(front.Port, "lost", TimeSpan.FromMilliseconds(500)));
        LabLinks.Apply(links.All, LinkFaults.None);
        Assert.Equal("back", await RoundTripAsync(front.Port, "back"));
    }

    private static async Task<string?> RoundTripAsync(int port, string text, TimeSpan? wait = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text));
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(10));
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
}
