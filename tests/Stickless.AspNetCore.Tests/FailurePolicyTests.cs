using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Stickless.AspNetCore.Tests.Infrastructure;
using Fault = Stickless.AspNetCore.Tests.Infrastructure.FaultySessionStore.Fault;

namespace Stickless.AspNetCore.Tests;

/// <summary>Store down or slow, on TestServer: fail-closed answers 503, degrade continues anonymous.</summary>
public sealed class FailurePolicyTests
{
    private static readonly TestAppOptions Faulty = new() { Store = "Faulty" };

    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        switch (context.Request.Path.Value)
        {
            case "/write":
                context.Session.SetString("user", "alice");
                await Results.Json(new { username = "alice" }).ExecuteAsync(context);
                break;
            case "/write-empty":
                context.Session.SetString("user", "alice");
                context.Response.StatusCode = 201;
                break;
            case "/signin":
                await session.SignInAsync("alice");
                await Results.Json(new { username = "alice" }).ExecuteAsync(context);
                break;
            case "/update":
                var n = await session.UpdateAsync<int>("n", v => v + 1);
                await context.Response.WriteAsync($"n={n}");
                break;
            default:
                await context.Response.WriteAsync($"available={session.IsAvailable};principal={session.Principal ?? "-"};user={context.Session.GetString("user") ?? "-"}");
                break;
        }
    }

    [Fact]
    public async Task Commit_StoreThrowsAfterHandlerWroteJson_Answers503WithoutBodyOrCookie()
    {
        await using var app = await TestApp.StartAsync(Handler, options: Faulty);
        app.Faulty!.OnCommit = Fault.Throw;
        var client = app.NewSessionClient();

        var response = await client.GetAsync("/write");

        AssertFailClosed(response);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Commit_StoreThrows_503KeepsOuterHeadersAndDropsTheHandlers()
    {
        await using var app = await TestApp.StartAsync(
            async context =>
            {
                context.Response.Headers["X-Handler"] = "yes";
                context.Response.Cookies.Append("other", "cookie");
                await Handler(context);
            },
            options: new TestAppOptions
            {
                Store = "Faulty",
                Outer = pipeline => pipeline.Use((context, next) =>
                {
                    context.Response.Headers["X-Served-By"] = "node-1";
                    return next(context);
                }),
            });
        app.Faulty!.OnCommit = Fault.Throw;

        var response = await app.Client.GetAsync("/write");

        AssertFailClosed(response);
        Assert.Equal("node-1", Assert.Single(response.Headers.GetValues("X-Served-By")));
        Assert.False(response.Headers.Contains("X-Handler"));
    }

    [Fact]
    public async Task Commit_StoreThrowsAndNoBodyWritten_Answers503()
    {
        await using var app = await TestApp.StartAsync(Handler, options: Faulty);
        app.Faulty!.OnCommit = Fault.Throw;

        var response = await app.Client.GetAsync("/write-empty");

        AssertFailClosed(response);
    }

    [Fact]
    public async Task SignIn_StoreThrows_Answers503AndNeverClaimsSignIn()
    {
        await using var app = await TestApp.StartAsync(Handler, options: Faulty);
        app.Faulty!.OnCommit = Fault.Throw;

        var response = await app.Client.GetAsync("/signin");

        AssertFailClosed(response);
        Assert.DoesNotContain("alice", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_StoreThrows_Answers503BeforeTheHandlerRuns()
    {
        await using var app = await TestApp.StartAsync(Handler, options: Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnLoad = Fault.Throw;

        var response = await client.GetAsync("/read");

        AssertFailClosed(response);
    }

    [Fact]
    public async Task Load_StoreHangs_TimesOutAnd503WithinTheStoreTimeout()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.StoreTimeout = TimeSpan.FromMilliseconds(200), Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnLoad = Fault.Hang;

        var started = TimeProvider.System.GetTimestamp();
        var response = await client.GetAsync("/read");

        AssertFailClosed(response);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Commit_StoreHangs_TimesOutAnd503()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.StoreTimeout = TimeSpan.FromMilliseconds(200), Faulty);
        app.Faulty!.OnCommit = Fault.Hang;

        var response = await app.Client.GetAsync("/write");

        AssertFailClosed(response);
    }

    [Fact]
    public async Task Update_StoreThrows_Answers503()
    {
        await using var app = await TestApp.StartAsync(Handler, options: Faulty);
        app.Faulty!.OnCommit = Fault.Throw;

        AssertFailClosed(await app.Client.GetAsync("/update"));
    }

    [Fact]
    public async Task Degrade_LoadFails_RequestProceedsAnonymousAndUnavailable()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.FailurePolicy = SessionFailurePolicy.Degrade, Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/signin")).EnsureSuccessStatusCode();
        Assert.Equal("available=True;principal=alice;user=-", await client.GetStringAsync("/read"));
        app.Faulty!.OnLoad = Fault.Throw;

        var response = await client.GetAsync("/read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("available=False;principal=-;user=-", await response.Content.ReadAsStringAsync());
        Assert.Null(client.SetCookie(response));
    }

    [Fact]
    public async Task Degrade_CommitFails_ResponseProceedsWithoutCookie()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.FailurePolicy = SessionFailurePolicy.Degrade, Faulty);
        app.Faulty!.OnCommit = Fault.Throw;
        var client = app.NewSessionClient();

        var response = await client.GetAsync("/write");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("alice", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(client.SetCookie(response));
    }

    [Fact]
    public async Task Degrade_UpdateWhileUnavailable_Answers503()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.FailurePolicy = SessionFailurePolicy.Degrade, Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnLoad = Fault.Throw;

        AssertFailClosed(await client.GetAsync("/update"));
    }

    internal static void AssertFailClosed(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(0, response.Content.Headers.ContentLength ?? 0);
    }
}
