using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>The session manager outside any request, and cookie-authentication tickets kept in the same store.</summary>
public sealed class SessionManagerTests
{
    private static Task Handler(HttpContext context) => context.Request.Path.Value switch
    {
        "/cookie-login" => context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, context.Request.Query["user"]!)], "test"))),
        "/session-login" => context.GetSticklessSession().SignInAsync(context.Request.Query["user"]!).AsTask(),
        "/cookie-me" => context.Response.WriteAsync(context.User.Identity is { IsAuthenticated: true } identity ? identity.Name! : "anonymous"),
        "/session-me" => context.Response.WriteAsync(context.GetSticklessSession().Principal ?? "anonymous"),
        "/cart" => SetCartAsync(context),
        _ => Task.CompletedTask,
    };

    private static Task SetCartAsync(HttpContext context)
    {
        context.GetSticklessSession().Set("cart", new[] { 1, 2, 3 });
        return context.Response.WriteAsync("ok");
    }

    private static Task<TestApp> StartAsync() => TestApp.StartAsync(Handler, options: new TestAppOptions
    {
        Store = "Counting",
        Kestrel = true,
        Services = services =>
        {
            services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
            services.AddStickless().AddCookieTicketStore();
        },
        Outer = app => app.UseAuthentication(),
    });

    private static HttpClient Browser(TestApp app) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseAddress!) };

    [Fact]
    public async Task RevokeAll_FromOutsideARequest_EndsSessionsAndCookieSignInsOnEveryClient()
    {
        await using var app = await StartAsync();
        using var sessionBrowser = Browser(app);
        using var cookieBrowser = Browser(app);
        using var otherUser = Browser(app);
        (await sessionBrowser.GetAsync("/session-login?user=alice")).EnsureSuccessStatusCode();
        (await cookieBrowser.GetAsync("/cookie-login?user=alice")).EnsureSuccessStatusCode();
        (await otherUser.GetAsync("/cookie-login?user=bob")).EnsureSuccessStatusCode();
        Assert.Equal("alice", await sessionBrowser.GetStringAsync("/session-me"));
        Assert.Equal("alice", await cookieBrowser.GetStringAsync("/cookie-me"));
        var manager = app.Services.GetRequiredService<ISessionManager>();
        Assert.Equal(2, (await manager.ListAsync("alice")).Count);

        var revoked = await manager.RevokeAllAsync("alice");

        Assert.Equal(2, revoked);
        Assert.Equal("anonymous", await sessionBrowser.GetStringAsync("/session-me"));
        Assert.Equal("anonymous", await cookieBrowser.GetStringAsync("/cookie-me"));
        Assert.Equal("bob", await otherUser.GetStringAsync("/cookie-me"));
        Assert.Empty(await manager.ListAsync("alice"));
    }

    [Fact]
    public async Task CookieTicket_LivesServerSide_TheCookieCarriesOnlyAKey()
    {
        await using var app = await StartAsync();
        using var browser = Browser(app);

        var response = await browser.GetAsync("/cookie-login?user=carol");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Cookies=", StringComparison.Ordinal));
        Assert.True(cookie.Length < 600, $"the cookie carries the whole ticket: {cookie.Length} characters");
        var listed = Assert.Single(await app.Services.GetRequiredService<ISessionManager>().ListAsync("carol"));
        var details = await app.Services.GetRequiredService<ISessionManager>().InspectAsync("carol", listed.Handle);
        Assert.True(details!.IsAuthenticationTicket);
        Assert.Equal("carol", await browser.GetStringAsync("/cookie-me"));
    }

    [Fact]
    public async Task InspectAndRevokeOne_ByHandle_TouchNothingElse()
    {
        await using var app = await StartAsync();
        using var first = Browser(app);
        using var second = Browser(app);
        await first.GetAsync("/session-login?user=dave");
        await first.GetAsync("/cart");
        await second.GetAsync("/session-login?user=dave");
        var manager = app.Services.GetRequiredService<ISessionManager>();
        var sessions = await manager.ListAsync("dave");
        SessionDetails? withCart = null;
        foreach (var session in sessions)
        {
            var details = await manager.InspectAsync("dave", session.Handle);
            if (details!.AttributeSizes.ContainsKey("cart"))
            {
                withCart = details;
            }
        }

        Assert.NotNull(withCart);
        Assert.Equal("[1,2,3]".Length, withCart.AttributeSizes["cart"]);
        Assert.True(await manager.RevokeAsync("dave", withCart.Handle));
        Assert.False(await manager.RevokeAsync("dave", withCart.Handle));
        Assert.False(await manager.RevokeAsync("someone-else", sessions[0].Handle));
        Assert.Equal("anonymous", await first.GetStringAsync("/session-me"));
        Assert.Equal("dave", await second.GetStringAsync("/session-me"));
        Assert.Null(await manager.InspectAsync("dave", "not-a-handle"));
    }
}
