using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Stickless.AspNetCore.Tests.Infrastructure;
using Xunit.Abstractions;
using Fault = Stickless.AspNetCore.Tests.Infrastructure.FaultySessionStore.Fault;

namespace Stickless.AspNetCore.Tests;

/// <summary>
/// What a real client sees from real Kestrel (127.0.0.1, port 0) when the store fails: the fail-closed 503
/// must hold on the wire, not only in TestServer.
/// </summary>
public sealed class KestrelFailureTests(ITestOutputHelper output)
{
    private static readonly TestAppOptions KestrelFaulty = new() { Store = "Faulty", Kestrel = true };

    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        switch (context.Request.Path.Value)
        {
            case "/login":
                // What a login endpoint does: bind the user, then answer 200 with JSON.
                session.Set("user", "alice");
                await Results.Json(new { username = "alice" }).ExecuteAsync(context);
                break;
            case "/signin":
                await session.SignInAsync("alice");
                await Results.Json(new { username = "alice" }).ExecuteAsync(context);
                break;
            case "/big":
                // Larger than any write buffer: several writes and flushes, all after the failed commit.
                context.Session.SetString("k", "v");
                context.Response.ContentType = "text/plain";
                var chunk = Encoding.ASCII.GetBytes(new string('x', 16 * 1024));
                for (var i = 0; i < 16; i++)
                {
                    await context.Response.Body.WriteAsync(chunk);
                    await context.Response.Body.FlushAsync();
                }

                break;
            case "/writer":
                context.Session.SetString("k", "v");
                context.Response.ContentLength = 5;
                Encoding.ASCII.GetBytes("hello", context.Response.BodyWriter.GetSpan(5));
                context.Response.BodyWriter.Advance(5);
                await context.Response.BodyWriter.FlushAsync();
                break;
            default:
                await context.Response.WriteAsync($"principal={session.Principal ?? "-"};user={session.Get<string>("user") ?? "-"}");
                break;
        }
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/big")]
    [InlineData("/writer")]
    public async Task Commit_StoreFailsAfterHandlerStartedWriting_ClientSeesEmpty503(string path)
    {
        await using var app = await TestApp.StartAsync(Handler, options: KestrelFaulty);
        app.Faulty!.OnCommit = Fault.Throw;
        var client = app.NewSessionClient();

        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();

        FailurePolicyTests.AssertFailClosed(response);
        Assert.Empty(body);
        Assert.Null(response.Content.Headers.ContentType);
    }

    [Fact]
    public async Task Commit_StoreHealthy_SameHandlersAnswer200WithBodyAndCookie()
    {
        await using var app = await TestApp.StartAsync(Handler, options: KestrelFaulty);
        var client = app.NewSessionClient();

        var response = await client.GetAsync("/big");
        Assert.Equal(16 * 16 * 1024, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.NotNull(client.Cookie);
        Assert.Equal("hello", await client.GetStringAsync("/writer"));
        Assert.Equal("{\"username\":\"alice\"}", await client.GetStringAsync("/login"));
        Assert.Equal("principal=-;user=alice", await client.GetStringAsync("/me"));
    }

    [Fact]
    public async Task SignIn_StoreFails_ClientSees503AndTheOldIdStaysAnonymous()
    {
        await using var app = await TestApp.StartAsync(Handler, options: KestrelFaulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/login")).EnsureSuccessStatusCode();
        app.Faulty!.OnCommit = Fault.Throw;

        var response = await client.GetAsync("/signin");

        FailurePolicyTests.AssertFailClosed(response);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        app.Faulty.OnCommit = Fault.None;
        Assert.Equal("principal=-;user=alice", await client.GetStringAsync("/me"));
    }

    [Fact]
    public async Task Load_StoreFails_ClientSees503()
    {
        await using var app = await TestApp.StartAsync(Handler, options: KestrelFaulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/login")).EnsureSuccessStatusCode();
        app.Faulty!.OnLoad = Fault.Throw;

        var response = await client.GetAsync("/me");

        FailurePolicyTests.AssertFailClosed(response);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Commit_StoreHangs_ClientSees503AfterTheTimeout()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.StoreTimeout = TimeSpan.FromMilliseconds(300), KestrelFaulty);
        app.Faulty!.OnCommit = Fault.Hang;

        var response = await app.NewSessionClient().GetAsync("/login");

        FailurePolicyTests.AssertFailClosed(response);
    }

    [Fact]
    public async Task Commit_StoreFailsAfterJsonWritten_WireShowsEmpty503AndTheConnectionStaysUsable()
    {
        await using var app = await TestApp.StartAsync(Handler, options: KestrelFaulty);
        app.Faulty!.OnCommit = Fault.Throw;
        var uri = new Uri(app.BaseAddress!);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
        var stream = tcp.GetStream();

        var first = await RoundTripAsync(stream, "GET /login HTTP/1.1\r\nHost: x\r\n\r\n");
        app.Faulty.OnCommit = Fault.None;
        var second = await RoundTripAsync(stream, "GET /login HTTP/1.1\r\nHost: x\r\n\r\n");
        output.WriteLine(first);
        output.WriteLine(second);

        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", first, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 0\r\n", first, StringComparison.Ordinal);
        Assert.Contains("\r\nRetry-After: 1\r\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Set-Cookie", first, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Content-Type", first, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alice", first, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", second, StringComparison.Ordinal);
        Assert.Contains("alice", second, StringComparison.Ordinal);
    }

    // Reads one response: headers, then a Content-Length or chunked body (enough for these handlers).
    private static async Task<string> RoundTripAsync(NetworkStream stream, string request)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var chunked = text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
                if (chunked ? text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal) : text.Length >= end + 4 + length)
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "connection closed: " + received);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    /// <summary>
    /// Evidence for the design (no Stickless involved): when an OnStarting callback throws, Kestrel does not
    /// let the app choose the status: the handler's write fails and the client gets a bare 500. That is why
    /// the middleware commits in the response body gate instead of throwing from OnStarting.
    /// </summary>
    [Fact]
    public async Task Kestrel_OnStartingCallbackThrows_ClientGets500WithoutTheHandlersBody()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        Exception? writeError = null;
        app.Run(async context =>
        {
            context.Response.OnStarting(() => throw new SessionStoreUnavailableException("commit failed"));
            try
            {
                await Results.Json(new { username = "alice" }).ExecuteAsync(context);
            }
            catch (Exception ex)
            {
                writeError = ex;
                throw;
            }
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(writeError);
        await app.StopAsync();
    }
}
