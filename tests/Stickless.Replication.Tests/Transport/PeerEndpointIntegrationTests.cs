using System.Net;
using Stickless.Replication.Tests.Infrastructure;
using Stickless.Replication.Transport;

namespace Stickless.Replication.Tests.Transport;

/// <summary>The peer endpoint refuses what it must, on a real Kestrel node.</summary>
public sealed class PeerEndpointIntegrationTests
{
    // HTTP/1.1: the endpoint answers both; every other test reaches it over HTTP/2 through PeerClient.
    private static HttpClient Http() => new();

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, ReplicationCluster cluster, byte[] frame)
    {
        var url = cluster.OptionsFor(0).Peers[0].Url + PeerClient.Path;
        try
        {
            using var response = await http.PostAsync(url, new ByteArrayContent(frame));
            return response.StatusCode;
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"POST of {frame.Length} bytes to {url} failed", ex);
        }
    }

    [Fact]
    public async Task Frames_UnauthenticatedReplayedMisaddressedOrOversized_AreRefusedAndTheNodeKeepsServing()
    {
        await using var cluster = await ReplicationCluster.StartAsync(2, ReplicationMode.PrimaryBackup);
        using var http = Http();
        var codec = new PeerFrameCodec(ReplicationCluster.Secret, 4 * 1024 * 1024);
        var ping = codec.Encode(PeerMessageType.Ping, false, "n2", 77, "n1", DateTimeOffset.UtcNow, 1_000_000, [2]);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, cluster, ping));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, cluster, ping));
        var wrongSecret = new PeerFrameCodec("not-the-cluster-secret", 4 * 1024 * 1024).Encode(PeerMessageType.Ping, false, "n2", 77, "n1", DateTimeOffset.UtcNow, 1_000_001, [2]);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, cluster, wrongSecret));
        var stale = codec.Encode(PeerMessageType.Ping, false, "n2", 77, "n1", DateTimeOffset.UtcNow.AddHours(-1), 1_000_002, [2]);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, cluster, stale));
        var forAnother = codec.Encode(PeerMessageType.Ping, false, "n2", 77, "n9", DateTimeOffset.UtcNow, 1_000_003, [2]);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(http, cluster, forAnother));
        var badBody = codec.Encode(PeerMessageType.Commit, false, "n2", 77, "n1", DateTimeOffset.UtcNow, 1_000_004, [1, 2, 3]);
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(http, cluster, badBody));
        // The server answers 413 from the Content-Length without reading the body, and may close the connection while
        // the client is still sending it: either outcome is a refusal.
        try
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(http, cluster, new byte[5 * 1024 * 1024]));
        }
        catch (InvalidOperationException ex) when (ex.InnerException is HttpRequestException)
        {
        }

        await cluster.Nodes[0]!.PingAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Frame_ReplayedAfterAFrameOfAnotherIncarnation_IsStillRefused()
    {
        // One window per sender: a frame of another incarnation (a previous life of the peer, or the real peer's
        // heartbeat) replaced it, and the replay below was accepted (seen in CI as the test above failing).
        await using var cluster = await ReplicationCluster.StartAsync(2, ReplicationMode.PrimaryBackup);
        using var http = Http();
        var codec = new PeerFrameCodec(ReplicationCluster.Secret, 4 * 1024 * 1024);
        var first = codec.Encode(PeerMessageType.Ping, false, "n2", 77, "n1", DateTimeOffset.UtcNow, 2_000_000, [2]);
        var otherLife = codec.Encode(PeerMessageType.Ping, false, "n2", 78, "n1", DateTimeOffset.UtcNow, 1, [2]);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, cluster, first));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, cluster, otherLife));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, cluster, first));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, cluster, otherLife));
    }
}
