using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>The rich API: typed attributes, limits, the user's sessions, the header resolver.</summary>
public sealed class SticklessSessionApiTests
{
    private sealed record Cart(string Owner, List<int> Items);

    [Fact]
    public async Task TypedAttributes_RoundTripAcrossRequests()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            var session = context.GetSticklessSession();
            if (context.Request.Path == "/first")
            {
                session.Set("cart", new Cart("alice", [1, 2]));
            }

            var found = session.TryGet<Cart>("cart", out var cart);
            await context.Response.WriteAsync($"{found}:{cart?.Owner}:{string.Join(",", cart?.Items ?? [])}");
        });
        var client = app.NewSessionClient();

        Assert.Equal("True:alice:1,2", await client.GetStringAsync("/first"));
        Assert.Equal("True:alice:1,2", await client.GetStringAsync("/second"));
    }

    [Fact]
    public async Task UndecodableAttribute_OtherAttributesStillRead()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            if (context.Request.Path == "/first")
            {
                context.Session.Set("broken", [0xFF, 0xFE, 0x7B]); // raw bytes: not JSON
                context.Session.SetString("fine", "\"ok\"");
            }

            var session = context.GetSticklessSession();
            await context.Response.WriteAsync($"{session.TryGet<Cart>("broken", out _)}:{session.Get<Cart>("broken") is null}:{session.Get<string>("fine")}");
        });
        var client = app.NewSessionClient();

        await client.GetStringAsync("/first");
        Assert.Equal("False:True:ok", await client.GetStringAsync("/second"));
    }

    [Fact]
    public async Task Set_ValueOverTheLimit_ThrowsSessionLimitExceeded()
    {
        Exception? caught = null;
        await using var app = await TestApp.StartAsync(
            context =>
            {
                caught = Record.Exception(() => context.GetSticklessSession().Set("big", new string('x', 2000)));
                return Task.CompletedTask;
            },
            o => o.Policy.Limits.MaxAttributeBytes = 1000);

        (await app.Client.GetAsync("/")).EnsureSuccessStatusCode();

        Assert.IsType<SessionLimitExceededException>(caught);
        Assert.Equal(0, app.Counting!.Commits);
    }

    [Fact]
    public async Task UserSessions_ListRevokeAndRevokeOthers_OnlyTheSamePrincipal()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            var session = context.GetSticklessSession();
            var path = context.Request.Path.Value!;
            if (path.StartsWith("/login/", StringComparison.Ordinal))
            {
                await session.SignInAsync(path["/login/".Length..]);
                await context.Response.WriteAsync(session.Handle);
            }
            else if (path == "/sessions")
            {
                await context.Response.WriteAsJsonAsync(await session.ListSessionsAsync());
            }
            else if (path.StartsWith("/revoke/", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync((await session.RevokeAsync(path["/revoke/".Length..])).ToString());
            }
            else if (path == "/revoke-others")
            {
                await context.Response.WriteAsync((await session.RevokeOthersAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                await context.Response.WriteAsync(session.Principal ?? "-");
            }
        });
        var alice1 = app.NewSessionClient();
        var alice2 = app.NewSessionClient();
        var alice3 = app.NewSessionClient();
        var bob = app.NewSessionClient();
        var handle1 = await alice1.GetStringAsync("/login/alice");
        var handle2 = await alice2.GetStringAsync("/login/alice");
        await alice3.GetStringAsync("/login/alice");
        var bobHandle = await bob.GetStringAsync("/login/bob");

        var sessions = JsonSerializer.Deserialize<List<SessionInfo>>(await alice1.GetStringAsync("/sessions"), JsonSerializerOptions.Web)!;
        Assert.Equal(3, sessions.Count);
        Assert.Equal(handle1, Assert.Single(sessions, s => s.IsCurrent).Handle);
        Assert.DoesNotContain(sessions, s => s.Handle == alice1.Cookie || s.Handle == bobHandle);

        Assert.Equal("False", await alice1.GetStringAsync("/revoke/" + bobHandle));
        Assert.Equal("bob", await bob.GetStringAsync("/me"));
        Assert.Equal("True", await alice1.GetStringAsync("/revoke/" + handle2));
        Assert.Equal("-", await alice2.GetStringAsync("/me"));
        Assert.Equal("1", await alice1.GetStringAsync("/revoke-others"));
        Assert.Equal("-", await alice3.GetStringAsync("/me"));
        Assert.Equal("alice", await alice1.GetStringAsync("/me"));
    }

    [Fact]
    public async Task HeaderResolver_Configured_ReadsAndWritesTheIdInTheHeader()
    {
        await using var app = await TestApp.StartAsync(
            async context =>
            {
                var value = await context.GetSticklessSession().UpdateAsync<int>("n", n => n + 1);
                await context.Response.WriteAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            },
            o => o.HeaderName = "X-Session-Id");

        var first = await app.Client.GetAsync("/");
        var id = Assert.Single(first.Headers.GetValues("X-Session-Id"));
        Assert.True(SessionIds.IsWellFormed(id));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Session-Id", id);
        var second = await app.Client.SendAsync(request);

        Assert.Equal("2", await second.Content.ReadAsStringAsync());
        Assert.False(second.Headers.Contains("X-Session-Id"));
        Assert.False(second.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task GetSticklessSession_WithoutUseStickless_ThrowsClearError()
    {
        var context = new DefaultHttpContext();

        var error = Assert.Throws<InvalidOperationException>(() => context.GetSticklessSession());

        Assert.Contains("UseStickless", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Handle_IsADigestNeverTheId()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            var session = context.GetSticklessSession();
            await session.SignInAsync("alice");
            await context.Response.WriteAsync(session.Handle);
        });
        var client = app.NewSessionClient();

        var handle = await client.GetStringAsync("/");

        Assert.Equal(SessionHandle.For(client.Cookie!), handle);
        Assert.NotEqual(client.Cookie, handle);
    }

    [Fact]
    public async Task ResolvingTheStore_FromDependencyInjection_IsTheSingletonTheMiddlewareUses()
    {
        await using var app = await TestApp.StartAsync(context => Task.CompletedTask);

        Assert.Same(app.Counting, app.Services.GetRequiredService<ISessionStore>());
        Assert.Same(app.Services.GetRequiredService<ISessionStore>(), app.Services.GetRequiredService<ISessionStore>());
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/")).StatusCode);
    }
}
