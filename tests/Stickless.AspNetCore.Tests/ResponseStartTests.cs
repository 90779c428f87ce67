using System.Text;
using Microsoft.AspNetCore.Http;
using Stickless.AspNetCore.Tests.Infrastructure;
using Fault = Stickless.AspNetCore.Tests.Infrastructure.FaultySessionStore.Fault;

namespace Stickless.AspNetCore.Tests;

/// <summary>Changes made while the response starts (Response.OnStarting, which is where MVC saves TempData) are part of the one commit.</summary>
public sealed class ResponseStartTests
{
    private static Task Handler(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/onstarting-body":
                context.Response.OnStarting(() =>
                {
                    context.Session.SetString("flash", "saved while starting");
                    return Task.CompletedTask;
                });
                return context.Response.WriteAsync("body");
            case "/onstarting-nobody":
                context.Response.OnStarting(() =>
                {
                    context.Session.SetString("flash", "saved while starting, no body");
                    return Task.CompletedTask;
                });
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = "/read";
                return Task.CompletedTask;
            case "/onstarting-remove":
                context.Response.OnStarting(() =>
                {
                    context.Session.Remove("flash");
                    return Task.CompletedTask;
                });
                return context.Response.WriteAsync("removed");
            default:
                return context.Response.WriteAsync(context.Session.GetString("flash") ?? "(none)");
        }
    }

    [Theory]
    [InlineData(false, "/onstarting-body", "saved while starting")]
    [InlineData(false, "/onstarting-nobody", "saved while starting, no body")]
    [InlineData(true, "/onstarting-body", "saved while starting")]
    [InlineData(true, "/onstarting-nobody", "saved while starting, no body")]
    public async Task OnStartingCallback_SetsSessionValue_IsCommittedWithTheRequest(bool kestrel, string path, string expected)
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Kestrel = kestrel });
        var client = app.NewSessionClient();

        var response = await client.GetAsync(path);

        Assert.True(response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Found, $"status {response.StatusCode}");
        Assert.True(client.Cookie is not null, $"no cookie; headers: {response.Headers}");
        Assert.NotNull(client.Cookie);
        Assert.Equal(expected, await client.GetStringAsync("/read"));
    }

    [Fact]
    public async Task OnStartingCallback_RemovesSessionValue_IsCommittedWithTheRequest()
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Kestrel = true });
        var client = app.NewSessionClient();
        await client.GetAsync("/onstarting-body");

        Assert.Equal("removed", await client.GetStringAsync("/onstarting-remove"));

        Assert.Equal("(none)", await client.GetStringAsync("/read"));
    }

    [Fact]
    public async Task OnStartingChange_CommitFails_ClientGetsTheEmpty503NotTheBody()
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Store = "Faulty", Kestrel = true });
        app.Faulty!.OnCommit = Fault.Throw;
        var client = app.NewSessionClient();

        var response = await client.GetAsync("/onstarting-body");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(client.SetCookie(response));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnStartingChange_NoBodyAndCommitFails_ClientGetsTheEmpty503NotTheRedirect()
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Store = "Faulty", Kestrel = true });
        app.Faulty!.OnCommit = Fault.Throw;
        var client = app.NewSessionClient();

        var response = await client.GetAsync("/onstarting-nobody");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SessionChangedAfterOurCommit_Throws()
    {
        var error = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(async context =>
        {
            await context.Response.WriteAsync("started");
            try
            {
                context.Session.SetString("late", "x");
                error.TrySetResult(null);
            }
            catch (InvalidOperationException ex)
            {
                error.TrySetResult(ex);
            }
        });

        await app.Client.GetAsync("/");

        Assert.IsType<InvalidOperationException>(await error.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ResponseThatIssuesAnId_IsNeverCacheable()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            context.Session.SetString("k", "v");
            return context.Response.WriteAsync("ok");
        });

        var response = await app.NewSessionClient().GetAsync("/");

        AssertUncacheable(response);
    }

    [Fact]
    public async Task ResponseThatRotatesOrClearsTheId_IsNeverCacheable()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            var session = context.GetSticklessSession();
            switch (context.Request.Path.Value)
            {
                case "/signin":
                    await session.SignInAsync("alice");
                    break;
                case "/logout":
                    await session.InvalidateAsync();
                    break;
                default:
                    session.Set("k", 1);
                    break;
            }

            await context.Response.WriteAsync("ok");
        });
        var client = app.NewSessionClient();
        await client.GetAsync("/start");

        var signIn = await client.GetAsync("/signin");
        var logout = await client.GetAsync("/logout");

        AssertUncacheable(signIn);
        AssertUncacheable(logout);
    }

    [Fact]
    public async Task ReadOnlyResponse_KeepsTheEndpointsCachingHeaders()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            if (context.Request.Path == "/write")
            {
                context.Session.SetString("k", "v");
            }
            else
            {
                _ = context.Session.GetString("k");
                context.Response.Headers.CacheControl = "private, max-age=60";
            }

            return context.Response.WriteAsync("ok");
        });
        var client = app.NewSessionClient();
        await client.GetAsync("/write");

        var response = await client.GetAsync("/read");

        Assert.True(response.Headers.CacheControl!.Private);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl.MaxAge);
        Assert.False(response.Headers.CacheControl.NoStore);
    }

    private static void AssertUncacheable(HttpResponseMessage response)
    {
        Assert.True(response.Headers.CacheControl!.NoCache, "Cache-Control: no-cache");
        Assert.True(response.Headers.CacheControl.NoStore, "Cache-Control: no-store");
        Assert.Contains("no-cache", response.Headers.Pragma.ToString(), StringComparison.Ordinal);
    }
}
