using System.Text;
using Stickless.Lab.Abuse;
using Stickless.Lab.Tests.Network;
using Xunit;

namespace Stickless.Lab.Tests.Abuse;

/// <summary>
/// The abuse run's own HTTP reader, fed through an echo server: what is "sent" comes straight back as the response, so
/// each case is a response as bytes, good or malformed, and what the reader must make of it.
/// </summary>
public sealed class RawHttpConnectionTests
{
    public static TheoryData<string, string, string, int, string> Responses() => new()
    {
        { "a body with its length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "Answered", 200, "hello" },
        { "no body (204)", "HTTP/1.1 204 No Content\r\n\r\n", "Answered", 204, "" },
        { "chunked, two chunks and a trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\n", "Answered", 200, "abcde" },
        { "100 Continue, then the answer", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n", "Answered", 413, "" },
        { "HTTP/1.0 with a length", "HTTP/1.0 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad", "Answered", 400, "bad" },
        { "a status line that is not HTTP: the server is not speaking HTTP", "SSH-2.0-OpenSSH\r\n\r\n", "Closed", 0, "" },
        { "a status that is not a number", "HTTP/1.1 abc OK\r\n\r\n", "Closed", 0, "" },
        { "a chunk size that is not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "Closed", 200, "" },
        { "a length far beyond what is kept", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "Closed", 200, "" },
        { "a negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Closed", 200, "" },
        { "a body shorter than its length, the connection kept open: no whole answer in time", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "TimedOut", 0, "" },
        { "a head that never ends", "HTTP/1.1 200 OK\r\nX-A: b\r\n", "TimedOut", 0, "" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task SendAsync_EchoedResponse_ReadAsExpected(string why, string response, string outcome, int status, string body)
    {
        await using var server = TestTcpServer.Echo();
        using var connection = new RawHttpConnection(server.Endpoint, TimeSpan.FromMilliseconds(800));

        var answer = await connection.SendAsync(Encoding.Latin1.GetBytes(response), headRequest: false, CancellationToken.None);

        Assert.True(outcome == answer.Outcome.ToString(), $"{why}: {answer.Outcome}");
        Assert.Equal(status, answer.Status);
        if (answer.Outcome == RawOutcome.Answered)
        {
            Assert.Equal(body, Encoding.Latin1.GetString(answer.Body));
        }
    }

    [Fact]
    public async Task SendAsync_TwoAnswersOnOneConnection_EachReadInTurn()
    {
        await using var server = TestTcpServer.Echo();
        using var connection = new RawHttpConnection(server.Endpoint, TimeSpan.FromSeconds(5));

        var first = await connection.SendAsync("HTTP/1.1 200 OK\r\nX-Served-By: node1\r\nContent-Length: 1\r\n\r\na"u8.ToArray(), headRequest: false, CancellationToken.None);
        var second = await connection.SendAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb"u8.ToArray(), headRequest: false, CancellationToken.None);

        Assert.Equal(("node1", "a"), (first.ServedBy, Encoding.ASCII.GetString(first.Body)));
        Assert.Equal((404, (string?)null, "b"), (second.Status, second.ServedBy, Encoding.ASCII.GetString(second.Body)));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_HeadRequest_ReadsNoBodyDespiteALength()
    {
        await using var server = TestTcpServer.Echo();
        using var connection = new RawHttpConnection(server.Endpoint, TimeSpan.FromSeconds(5));

        var head = await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"u8.ToArray(), headRequest: true, CancellationToken.None);

        Assert.Equal((RawOutcome.Answered, 200, 0), (head.Outcome, head.Status, head.Body.Length));
    }

    [Fact]
    public async Task SendAsync_NobodyListening_Refused()
    {
        int port;
        await using (var server = TestTcpServer.Sink())
        {
            port = server.Endpoint.Port;
        }

        using var connection = new RawHttpConnection(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), TimeSpan.FromSeconds(5));

        var answer = await connection.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), headRequest: false, CancellationToken.None);

        Assert.Equal(RawOutcome.Refused, answer.Outcome);
    }
}
