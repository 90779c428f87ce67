using Microsoft.AspNetCore.Http;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>Rule 1: a read-only request is one store call (the load, which touches when the throttle says so) and no commit.</summary>
public sealed class TouchTests
{
    private static Task Handler(HttpContext context)
    {
        if (context.Request.Path == "/write")
        {
            context.Session.SetString("k", "v");
        }

        return context.Response.WriteAsync(context.Session.GetString("k") ?? "-");
    }

    [Fact]
    public async Task ReadOnlyRequest_ExistingSession_MakesExactlyOneStoreCallAndNoCommit()
    {
        var clock = new ManualTimeProvider();
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Clock = clock });
        var client = app.NewSessionClient();
        await client.GetStringAsync("/write");
        app.Counting!.Reset();

        Assert.Equal("v", await client.GetStringAsync("/read"));
        clock.Advance(TimeSpan.FromMinutes(5)); // past the touch throttle (2 minutes of 20): the load touches
        Assert.Equal("v", await client.GetStringAsync("/read"));

        Assert.Equal(2, app.Counting.Loads);
        Assert.Equal(0, app.Counting.Commits);
        Assert.Equal(2, app.Counting.Calls);
    }

    [Fact]
    public async Task WritingRequest_ExistingSession_MakesOneLoadAndOneCommitOfTheDeltaOnly()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            context.Session.SetString(context.Request.Path.Value!.TrimStart('/'), "v");
            await context.Response.WriteAsync("ok");
        });
        var client = app.NewSessionClient();
        await client.GetStringAsync("/a");
        app.Counting!.Reset();

        await client.GetStringAsync("/b");

        Assert.Equal(1, app.Counting.Loads);
        var changes = Assert.Single(app.Counting.ChangeSets);
        Assert.Equal(["b"], changes.Attributes.Keys);
        Assert.False(changes.IsNew);
    }

    [Fact]
    public async Task NewSession_FirstWrite_IsCreatedWithPolicyTimeouts()
    {
        var clock = new ManualTimeProvider();
        await using var app = await TestApp.StartAsync(Handler, o => o.Policy.AbsoluteTimeout = TimeSpan.FromHours(3), new TestAppOptions { Clock = clock });

        await app.NewSessionClient().GetStringAsync("/write");

        var changes = Assert.Single(app.Counting!.ChangeSets);
        Assert.True(changes.IsNew);
        Assert.Equal(TimeSpan.FromMinutes(20), changes.IdleTimeout);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(3), changes.AbsoluteExpiry);
    }
}
