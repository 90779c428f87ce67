using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>Concurrent requests of one session: deltas and compare-and-set lose nothing.</summary>
public sealed class SessionConcurrencyTests
{
    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        var path = context.Request.Path.Value!;
        if (path.StartsWith("/set/", StringComparison.Ordinal))
        {
            // Both requests have loaded the session before either commits.
            var barrier = context.RequestServices.GetService(typeof(Barrier)) as Barrier;
            await Task.Run(() => barrier?.SignalAndWait(TimeSpan.FromSeconds(10)));
            session.Set(path["/set/".Length..], true);
        }
        else if (path.StartsWith("/add/", StringComparison.Ordinal))
        {
            var item = path["/add/".Length..];
            var list = await session.UpdateAsync<List<string>>("wishlist", current => [.. current ?? [], item]);
            Assert.Contains(item, list);
        }
        else if (path == "/wishlist")
        {
            await context.Response.WriteAsync((session.Get<List<string>>("wishlist")?.Count ?? 0).ToString(CultureInfo.InvariantCulture));
            return;
        }
        else
        {
            session.Set("start", true);
        }

        await context.Response.WriteAsync(string.Join(",", session.Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task TwoRequests_SetDifferentAttributesConcurrently_BothSurvive()
    {
        using var barrier = new Barrier(2);
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Services = s => s.AddSingleton(barrier) });
        var client = app.NewSessionClient();
        await client.GetStringAsync("/start");
        var a = app.NewSessionClient();
        var b = app.NewSessionClient();
        a.Cookie = b.Cookie = client.Cookie;

        await Task.WhenAll(a.GetStringAsync("/set/a"), b.GetStringAsync("/set/b"));

        Assert.Equal("a,b,start", await client.GetStringAsync("/start"));
    }

    [Fact]
    public async Task HundredConcurrentUpdates_OneSession_EndWithHundredItems()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/start");

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
        {
            var c = app.NewSessionClient();
            c.Cookie = client.Cookie;
            return c.GetStringAsync($"/add/item{i}");
        }));

        Assert.Equal("100", await client.GetStringAsync("/wishlist"));
    }
}
