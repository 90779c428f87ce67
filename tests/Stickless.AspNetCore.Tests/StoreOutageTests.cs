using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;
using Fault = Stickless.AspNetCore.Tests.Infrastructure.FaultySessionStore.Fault;

namespace Stickless.AspNetCore.Tests;

/// <summary>A store outage costs only what needs the session.</summary>
public sealed class StoreOutageTests
{
    // Routing runs before UseStickless (TestApp's Outer), so the middleware knows the endpoint.
    private static readonly Action<IApplicationBuilder> Routing = app => app.UseRouting();

    private static void Endpoints(IApplicationBuilder app)
    {
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGet("/catalogue", () => "events");
            endpoints.MapGet("/optout", (HttpContext context) => context.Features.Get<Microsoft.AspNetCore.Http.Features.ISessionFeature>() is null ? "no session" : "session").WithoutSession();
            endpoints.MapGet("/attribute", [WithoutSession] () => "attribute");
            endpoints.MapGet("/me", (HttpContext context) => context.Session.GetString("user") ?? "anonymous");
            endpoints.MapPost("/start", (HttpContext context) =>
            {
                context.Session.SetString("user", "alice");
                return "started";
            });
            endpoints.MapGet("/available", (HttpContext context) => context.Session.IsAvailable ? "available" : "unavailable");
        });
    }

    private static Task<TestApp> StartAsync(Action<SticklessHttpOptions>? configure = null) =>
        TestApp.StartAsync(Endpoints, configure, new TestAppOptions { Store = "Faulty", Services = services => services.AddRouting(), Outer = Routing });

    [Fact]
    public async Task LoadFails_EndpointThatNeverTouchesTheSession_AnswersNormallyAndCommitsNothing()
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        var cookie = client.Cookie;
        app.Faulty!.OnLoad = Fault.Throw;
        var commits = app.Faulty.Commits;

        var response = await client.GetAsync("/catalogue");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("events", await response.Content.ReadAsStringAsync());
        Assert.Null(client.SetCookie(response));
        Assert.Equal(cookie, client.Cookie);
        Assert.Equal(commits, app.Faulty.Commits);
    }

    [Fact]
    public async Task LoadFails_EndpointThatTouchesTheSession_Answers503FailClosed()
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        app.Faulty!.OnLoad = Fault.Throw;

        var response = await client.GetAsync("/me");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task LoadFails_AskingIsAvailable_IsTouchingTheSession503FailClosed()
    {
        await using var app = await StartAsync();
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        app.Faulty!.OnLoad = Fault.Throw;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/available")).StatusCode);
    }

    [Fact]
    public async Task LoadFails_AskingIsAvailableUnderDegrade_SaysFalse()
    {
        await using var app = await StartAsync(o => o.FailurePolicy = SessionFailurePolicy.Degrade);
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        app.Faulty!.OnLoad = Fault.Throw;

        Assert.Equal("unavailable", await client.GetStringAsync("/available"));
    }

    [Fact]
    public async Task LoadFails_Degrade_EndpointGetsAnEmptyAnonymousSession()
    {
        await using var app = await StartAsync(o => o.FailurePolicy = SessionFailurePolicy.Degrade);
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        app.Faulty!.OnLoad = Fault.Throw;

        Assert.Equal("anonymous", await client.GetStringAsync("/me"));
    }

    [Theory]
    [InlineData("/optout", "no session")]
    [InlineData("/attribute", "attribute")]
    public async Task WithoutSession_Endpoint_CostsNoStoreCallAndSetsNoCookie(string path, string expected)
    {
        await using var app = await TestApp.StartAsync(Endpoints, options: new TestAppOptions { Store = "Counting", Services = services => services.AddRouting(), Outer = Routing });
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        app.Counting!.Reset();

        var response = await client.GetAsync(path);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, app.Counting.Calls);
        Assert.Null(client.SetCookie(response));
    }

    [Fact]
    public async Task StoreHangs_BreakerOpens_LaterRequestsFailFastAndRecoverAfterTheStoreReturns()
    {
        await using var app = await StartAsync(o =>
        {
            o.StoreTimeout = TimeSpan.FromMilliseconds(200);
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(500);
        });
        var client = app.NewSessionClient();
        await client.PostAsync("/start");
        app.Faulty!.OnLoad = Fault.Hang;

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/me")).StatusCode);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var fast = await client.GetAsync("/me");
        var catalogue = await client.GetAsync("/catalogue");
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, fast.StatusCode);
        Assert.Equal(HttpStatusCode.OK, catalogue.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(200), $"two requests with an open circuit took {watch.Elapsed}");

        app.Faulty.OnLoad = Fault.None;
        var recovered = await Eventually(async () => (await client.GetAsync("/me")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        Assert.True(recovered);
        Assert.Equal("alice", await client.GetStringAsync("/me"));
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            // Polling a state that only time changes (the breaker's break duration).
            await Task.Delay(50);
        }

        return false;
    }
}
