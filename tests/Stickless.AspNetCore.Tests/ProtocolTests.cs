using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Stickless.AspNetCore.Tests.Infrastructure;
using Fault = Stickless.AspNetCore.Tests.Infrastructure.FaultySessionStore.Fault;

namespace Stickless.AspNetCore.Tests;

/// <summary>
/// The ways a response leaves real Kestrel (server-sent events with flushes, SendFileAsync, a WebSocket upgrade, HTTP/2, a
/// 100 MB body), each with and without a session change: the change is committed, the bytes arrive, nothing is buffered.
/// </summary>
public sealed class ProtocolTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "stickless-sendfile-" + Guid.NewGuid().ToString("N") + ".txt");

    public ProtocolTests() => File.WriteAllText(_file, "file contents\n");

    public void Dispose() => File.Delete(_file);

    private Task Handler(HttpContext context)
    {
        var change = context.Request.Query.ContainsKey("change");
        if (change)
        {
            context.Session.SetString("last", context.Request.Path.Value!);
        }

        return context.Request.Path.Value switch
        {
            "/sse" => SseAsync(context),
            "/sendfile" => context.Response.SendFileAsync(_file),
            "/ws" => WebSocketAsync(context),
            "/big" => BigAsync(context),
            "/bigwriter" => BigWriterAsync(context),
            _ => context.Response.WriteAsync(context.Session.GetString("last") ?? "(none)"),
        };
    }

    private static async Task SseAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i < 3; i++)
        {
            await context.Response.WriteAsync($"data: {i}\n\n");
            await context.Response.Body.FlushAsync();
        }
    }

    private static async Task WebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    private static async Task BigAsync(HttpContext context)
    {
        var chunk = new byte[4096];
        for (var i = 0; i < BodyBytes / chunk.Length; i++)
        {
            await context.Response.Body.WriteAsync(chunk);
        }
    }

    private static async Task BigWriterAsync(HttpContext context)
    {
        var writer = context.Response.BodyWriter;
        for (var i = 0; i < BodyBytes / 4096; i++)
        {
            writer.GetSpan(4096)[..4096].Clear();
            writer.Advance(4096);
            await writer.FlushAsync();
        }
    }

    private const long BodyBytes = 100L * 1024 * 1024;

    private static Uri WebSocketUri(TestApp app, string pathAndQuery) =>
        new(new Uri(app.BaseAddress!.Replace("http://", "ws://", StringComparison.Ordinal)), pathAndQuery);

    private Task<TestApp> StartAsync(string store = "Counting", HttpProtocols protocols = HttpProtocols.Http1) =>
        TestApp.StartAsync(Handler, options: new TestAppOptions
        {
            Store = store,
            Kestrel = true,
            Protocols = protocols,
            Outer = app => app.UseWebSockets(),
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerSentEvents_WithFlushes_ArriveAndTheChangeIsCommitted(bool change)
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();

        var response = await client.GetAsync(change ? "/sse?change" : "/sse");

        Assert.Equal("data: 0\n\ndata: 1\n\ndata: 2\n\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(change ? "/sse" : "(none)", await client.GetStringAsync("/read"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendFile_ArrivesAndTheChangeIsCommitted(bool change)
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();

        var response = await client.GetAsync(change ? "/sendfile?change" : "/sendfile");

        Assert.Equal("file contents\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(change ? "/sendfile" : "(none)", await client.GetStringAsync("/read"));
    }

    [Fact]
    public async Task SendFile_CommitFails_Empty503AndNoFileBytes()
    {
        await using var app = await StartAsync(store: "Faulty");
        app.Faulty!.OnCommit = Fault.Throw;

        var response = await app.NewSessionClient().GetAsync("/sendfile?change");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocketUpgrade_EchoesAndTheChangeIsCommittedBeforeTheUpgrade(bool change)
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();
        await client.GetAsync("/start?change");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"stickless={client.Cookie}");

        await socket.ConnectAsync(WebSocketUri(app, change ? "/ws?change" : "/ws"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Equal(change ? "/ws" : "/start", await client.GetStringAsync("/read"));
    }

    [Fact]
    public async Task WebSocketUpgrade_CommitFails_503InsteadOfTheUpgrade()
    {
        await using var app = await StartAsync(store: "Faulty");
        app.Faulty!.OnCommit = Fault.Throw;
        using var socket = new ClientWebSocket();

        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUri(app, "/ws?change"), CancellationToken.None));

        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Http2_ResponseArrivesAndTheChangeIsCommitted(bool change)
    {
        await using var app = await StartAsync(protocols: HttpProtocols.Http2);
        using var http2 = new HttpClient(new SocketsHttpHandler { UseCookies = false })
        {
            BaseAddress = new Uri(app.BaseAddress!),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var client = new SessionClient(http2);

        var response = await client.GetAsync(change ? "/sse?change" : "/sse");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("data: 0\n\ndata: 1\n\ndata: 2\n\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(change ? "/sse" : "(none)", await client.GetStringAsync("/read"));
    }

    [Theory]
    [InlineData("/big")]
    [InlineData("/bigwriter")]
    public async Task HundredMegabyteBody_InSmallChunks_IsStreamedNotBuffered(string path)
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();
        await client.GetAsync("/start?change");
        using var request = new HttpRequestMessage(HttpMethod.Get, path + "?change");
        request.Headers.Add("Cookie", $"stickless={client.Cookie}");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await app.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(BodyBytes, total);
        Assert.True(allocated < BodyBytes / 4, $"serving and reading {BodyBytes / (1024 * 1024)} MB allocated {allocated / (1024 * 1024)} MB in this process");
        Assert.Equal(path, await client.GetStringAsync("/read"));
    }
}
