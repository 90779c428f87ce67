using System.Net;
using Microsoft.AspNetCore.Http;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>IncrementAsync, AddToSetAsync and RemoveFromSetAsync: one store call, no compare-and-set, nothing lost.</summary>
public sealed class AttributeOperationApiTests
{
    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        switch (context.Request.Path.Value)
        {
            case "/inc":
                await context.Response.WriteAsync((await session.IncrementAsync("counter")).ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "/add":
                var added = await session.AddToSetAsync("wishlist", int.Parse(context.Request.Query["id"]!, System.Globalization.CultureInfo.InvariantCulture));
                await context.Response.WriteAsync(string.Join(',', added));
                break;
            case "/remove":
                var left = await session.RemoveFromSetAsync("wishlist", int.Parse(context.Request.Query["id"]!, System.Globalization.CultureInfo.InvariantCulture));
                await context.Response.WriteAsync(string.Join(',', left));
                break;
            case "/set-text":
                session.Set("counter", "text");
                session.Set("note", "kept");
                break;
            case "/note-then-inc":
                session.Set("note", "changed");
                await session.IncrementAsync("counter");
                break;
            case "/pending-then-inc":
                session.Set("note", "pending");
                session.Set("counter", 10);
                await context.Response.WriteAsync((await session.IncrementAsync("counter", 5)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                await context.Response.WriteAsync($"{session.Get<long>("counter")};{session.Get<string>("note")};{string.Join(',', session.Get<int[]>("wishlist") ?? [])}");
                break;
        }
    }

    [Fact]
    public async Task Increment_NewSession_CreatesItAndCountsFromOne()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();

        Assert.Equal("1", await client.GetStringAsync("/inc"));
        Assert.NotNull(client.Cookie);
        Assert.Equal("2", await client.GetStringAsync("/inc"));
        Assert.Equal(2, app.Counting!.Commits);
    }

    [Fact]
    public async Task Increment_FiftyAtOnce_EveryOneCountedWithoutConflicts()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/inc");
        var cookie = client.Cookie;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            var other = app.NewSessionClient();
            other.Cookie = cookie;
            return int.Parse(await other.GetStringAsync("/inc"), System.Globalization.CultureInfo.InvariantCulture);
        }));

        Assert.Equal(Enumerable.Range(2, 50), answers.Order());
        Assert.StartsWith("51;", await client.GetStringAsync("/read"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAndRemove_SetMembers_KeepEachOnceInOrder()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();

        Assert.Equal("7", await client.GetStringAsync("/add?id=7"));
        Assert.Equal("7,3", await client.GetStringAsync("/add?id=3"));
        Assert.Equal("7,3", await client.GetStringAsync("/add?id=7"));
        Assert.Equal("3", await client.GetStringAsync("/remove?id=7"));
        Assert.EndsWith(";3", await client.GetStringAsync("/read"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Increment_PendingChangesOfTheRequest_GoInTheSameCommit()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/inc");
        app.Counting!.Reset();

        Assert.Equal("15", await client.GetStringAsync("/pending-then-inc"));

        Assert.Equal("15;pending;", await client.GetStringAsync("/read"));
    }

    [Fact]
    public async Task Increment_AttributeThatIsNotACounter_FailsClearlyAndSavesNothing()
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Kestrel = true });
        var client = app.NewSessionClient();
        await client.GetAsync("/set-text");

        var response = await client.GetAsync("/note-then-inc");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var read = await client.GetAsync("/read");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("0;kept;", await read.Content.ReadAsStringAsync());
    }
}
