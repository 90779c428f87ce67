using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>Sign-in rotation, invalidation, and ids the server did not issue.</summary>
public sealed class SessionSecurityTests
{
    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        switch (context.Request.Path.Value)
        {
            case "/counter":
                var value = await session.UpdateAsync<int>("counter", v => v + 1);
                await context.Response.WriteAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            case "/login":
                await session.SignInAsync("alice");
                break;
            case "/logout":
                await session.InvalidateAsync();
                break;
            case "/logout-then-write":
                await session.InvalidateAsync();
                session.Set("after", 1);
                break;
            case "/renew":
                await session.RenewIdAsync();
                break;
        }

        await context.Response.WriteAsync($"principal={session.Principal ?? "-"};counter={session.Get<int>("counter")};new={session.IsNew}");
    }

    [Fact]
    public async Task SignIn_ExistingSession_RotatesIdKeepsDataAndKillsTheOldId()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/counter");
        var anonymousId = client.Cookie!;

        Assert.Equal("principal=alice;counter=1;new=False", await client.GetStringAsync("/login"));
        var signedInId = client.Cookie!;

        Assert.NotEqual(anonymousId, signedInId);
        Assert.Equal("principal=alice;counter=1;new=False", await client.GetStringAsync("/me"));
        var attacker = app.NewSessionClient();
        attacker.Cookie = anonymousId;
        Assert.Equal("principal=-;counter=0;new=True", await attacker.GetStringAsync("/me"));
    }

    [Fact]
    public async Task SignIn_NoSessionYet_CreatesASignedInSession()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();

        Assert.Equal("principal=alice;counter=0;new=False", await client.GetStringAsync("/login"));
        Assert.Equal("principal=alice;counter=0;new=False", await client.GetStringAsync("/me"));
    }

    [Fact]
    public async Task SignIn_OneCommit_BindsPrincipalAndRotatesTogether()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/counter");
        app.Counting!.Reset();

        await client.GetStringAsync("/login");

        var changes = Assert.Single(app.Counting.ChangeSets);
        Assert.Equal("alice", changes.Principal);
        Assert.True(changes.SetsPrincipal);
        Assert.NotNull(changes.NewSessionId);
        Assert.Equal(TimeSpan.Zero, changes.RotationGrace);
    }

    [Fact]
    public async Task Invalidate_SignedIn_DeletesSessionAndClearsCookie()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/login");
        var id = client.Cookie!;

        var response = await client.GetAsync("/logout");

        var cleared = client.SetCookie(response);
        Assert.NotNull(cleared);
        Assert.True(cleared.Expires < DateTimeOffset.UtcNow);
        Assert.Null(await app.Services.GetRequiredService<ISessionStore>().LoadAsync(id, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), default));
        var replay = app.NewSessionClient();
        replay.Cookie = id;
        Assert.Equal("principal=-;counter=0;new=True", await replay.GetStringAsync("/me"));
    }

    [Fact]
    public async Task Invalidate_ThenWrite_StartsABrandNewId()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        await client.GetStringAsync("/login");
        var id = client.Cookie!;

        await client.GetStringAsync("/logout-then-write");

        Assert.NotNull(client.Cookie);
        Assert.NotEqual(id, client.Cookie);
        Assert.Equal("principal=-;counter=0;new=False", await client.GetStringAsync("/me"));
    }

    [Fact]
    public async Task RenewId_WithGrace_OldIdWorksBrieflyAndTheNewIdIsNotRevealedToIt()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.Policy.RotationGrace = TimeSpan.FromSeconds(30));
        var client = app.NewSessionClient();
        await client.GetStringAsync("/counter");
        var oldId = client.Cookie!;

        await client.GetStringAsync("/renew");

        Assert.NotEqual(oldId, client.Cookie);
        var inFlight = app.NewSessionClient();
        inFlight.Cookie = oldId;
        var response = await inFlight.GetAsync("/counter");
        Assert.Equal("2", await response.Content.ReadAsStringAsync());
        Assert.Null(inFlight.SetCookie(response));
        Assert.Equal("3", await client.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task ForgedId_WellFormedButNeverIssued_IsNotAdopted()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        var forged = SessionIds.Create();
        client.Cookie = forged;

        Assert.Equal("1", await client.GetStringAsync("/counter"));

        Assert.NotNull(client.Cookie);
        Assert.NotEqual(forged, client.Cookie);
        Assert.Null(await app.Services.GetRequiredService<ISessionStore>().LoadAsync(forged, new SessionLoadOptions(DateTimeOffset.UtcNow, TimeSpan.MaxValue), default));
    }

    [Theory]
    [InlineData("not-an-id")]                                       // too short
    [InlineData("%00%01%02")]                                       // control characters, escaped
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]      // right length, padding is not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]      // right length, '/' is base64, not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]      // right length, trailing bits set: not a 256-bit value
    [InlineData("'; DROP TABLE sessions; --")]                      // just hostile
    public async Task MalformedId_AnyShape_GetsAFreshSessionWithoutAStoreLookup(string cookie)
    {
        await using var app = await TestApp.StartAsync(Handler);
        var client = app.NewSessionClient();
        client.Cookie = cookie;

        var response = await client.GetAsync("/counter");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, app.Counting!.Loads);
        Assert.NotEqual(cookie, client.Cookie);
    }

    [Theory]
    [InlineData(8 * 1024, false)]
    [InlineData(16 * 1024, false)]
    [InlineData(8 * 1024, true)]
    [InlineData(16 * 1024, true)]
    public async Task OversizedCookie_8And16KB_FreshSessionNever500(int size, bool kestrel)
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Kestrel = kestrel });
        var client = app.NewSessionClient();
        client.Cookie = new string('A', size);

        var response = await client.GetAsync("/counter");

        // Kestrel's own header limit (32 KB by default) may refuse it first: a 4xx is fine, a 500 never.
        Assert.True(response.StatusCode == HttpStatusCode.OK || (int)response.StatusCode is >= 400 and < 500, $"status {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal("1", await response.Content.ReadAsStringAsync());
            Assert.Equal(0, app.Counting!.Loads);
            Assert.Equal(SessionIds.EncodedLength, client.Cookie!.Length);
        }
    }

    [Fact]
    public async Task HostPrefix_AlwaysSecureOverHttps_CookieIsHostPrefixedSecureAndReadBack()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always, new TestAppOptions { BaseAddress = "https://localhost/" });
        var client = app.NewSessionClient("__Host-stickless");

        var response = await client.GetAsync("/counter");

        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-stickless=", header, StringComparison.Ordinal);
        Assert.Contains("; secure", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", header, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain", header, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2", await client.GetStringAsync("/counter"));
    }

    [Fact]
    public async Task SecureFlag_HttpsRequestWithDefaultPolicy_IsSet()
    {
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { BaseAddress = "https://localhost/" });

        var response = await app.Client.GetAsync("/counter");

        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("stickless=", header, StringComparison.Ordinal);
        Assert.Contains("; secure", header, StringComparison.OrdinalIgnoreCase);
    }
}
