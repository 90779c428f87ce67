using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Stickless.AspNetCore.Tests.Infrastructure;
using Fault = Stickless.AspNetCore.Tests.Infrastructure.FaultySessionStore.Fault;

namespace Stickless.AspNetCore.Tests;

/// <summary>An <c>UpdateAsync</c> whose every compare-and-set conflicts: a clear 409, bounded in attempts and time.</summary>
public sealed class UpdateConflictTests
{
    private static readonly TestAppOptions Faulty = new()
    {
        Store = "Faulty",
        Outer = pipeline => pipeline.Use((context, next) =>
        {
            context.Response.Headers["X-Served-By"] = "node-1";
            return next(context);
        }),
    };

    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        switch (context.Request.Path.Value)
        {
            case "/update":
                context.Response.Headers["X-Handler"] = "yes";
                context.Session.SetString("other", "pending");
                var n = await session.UpdateAsync<int>("n", v => v + 1);
                await context.Response.WriteAsync($"n={n}");
                break;
            case "/update-caught":
                try
                {
                    await session.UpdateAsync<int>("n", v => v + 1);
                }
                catch (SessionUpdateConflictException ex)
                {
                    await context.Response.WriteAsync($"{ex.AttributeName}:{ex.Attempts}");
                }

                break;
            case "/read":
                await context.Response.WriteAsync($"user={context.Session.GetString("user") ?? "-"};other={context.Session.GetString("other") ?? "-"};n={(session.TryGet<int>("n", out var value) ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}");
                break;
            default:
                context.Session.SetString("user", "alice");
                await context.Response.WriteAsync("written");
                break;
        }
    }

    [Fact]
    public async Task Update_EveryAttemptConflicts_Answers409ProblemWithRetryAfterZero()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.Policy.MaxUpdateAttempts = 5, Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnCommit = Fault.Conflict;
        var commitsBefore = app.Faulty.Commits;

        var response = await client.GetAsync("/update");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(TimeSpan.Zero, response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("node-1", Assert.Single(response.Headers.GetValues("X-Served-By")));
        Assert.False(response.Headers.Contains("X-Handler"));
        Assert.Null(client.SetCookie(response));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(409, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(5, app.Faulty.Commits - commitsBefore);
    }

    [Fact]
    public async Task Update_EveryAttemptConflicts_NothingOfTheRequestIsWritten()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.Policy.MaxUpdateAttempts = 3, Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnCommit = Fault.Conflict;
        var commitsBefore = app.Faulty.Commits;

        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync("/update")).StatusCode);
        Assert.Equal(3, app.Faulty.Commits - commitsBefore); // the attempts; no final commit of the pending "other"
        app.Faulty.OnCommit = Fault.None;

        Assert.Equal("user=alice;other=-;n=-", await client.GetStringAsync("/read"));
    }

    [Fact]
    public async Task Update_EndpointCatchesTheConflict_ExceptionNamesAttributeAndAttempts()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.Policy.MaxUpdateAttempts = 4, Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnCommit = Fault.Conflict;

        var response = await client.GetAsync("/update-caught");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("n:4", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Update_100ConflictingAttempts_WaitsAddUpToAtMostTheStoreTimeout()
    {
        // 100 attempts with a 50 ms store timeout: every wait is at most 0.5 ms, so the 409 comes quickly
        // (before the bound, waits of up to 20 ms each added up to about a second, two at worst).
        await using var app = await TestApp.StartAsync(
            Handler,
            o =>
            {
                o.Policy.MaxUpdateAttempts = 100;
                o.StoreTimeout = TimeSpan.FromMilliseconds(50);
            },
            Faulty);
        var client = app.NewSessionClient();
        (await client.GetAsync("/write")).EnsureSuccessStatusCode();
        app.Faulty!.OnCommit = Fault.Conflict;

        var started = TimeProvider.System.GetTimestamp();
        var response = await client.GetAsync("/update");
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(900));
    }
}
