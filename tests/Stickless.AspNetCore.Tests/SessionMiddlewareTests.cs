using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>
/// ASP.NET Core's own session middleware tests (src/Middleware/Session/test/SessionTests.cs), rewritten
/// against Stickless: the handlers use HttpContext.Session exactly as they would with AddSession().
/// </summary>
public sealed class SessionMiddlewareTests
{
    [Fact]
    public async Task ReadingEmptySession_NoCookie_DoesNotCreateCookieOrStoreAnything()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            Assert.Null(context.Session.GetString("NotFound"));
            return Task.CompletedTask;
        });

        var response = await app.Client.GetAsync("/");

        response.EnsureSuccessStatusCode();
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(0, app.Counting!.Calls);
    }

    [Fact]
    public async Task SettingAValue_NewSession_CreatesHttpOnlyLaxCookieOnRootPath()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            Assert.Null(context.Session.GetString("Key"));
            context.Session.SetString("Key", "Value");
            Assert.Equal("Value", context.Session.GetString("Key"));
            return Task.CompletedTask;
        });

        var response = await app.Client.GetAsync("/");

        response.EnsureSuccessStatusCode();
        var values = response.Headers.GetValues("Set-Cookie").ToList();
        var cookie = Assert.Single(values);
        Assert.StartsWith("stickless=", cookie, StringComparison.Ordinal);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(SessionIds.IsWellFormed(cookie.AsSpan("stickless=".Length, SessionIds.EncodedLength)));
    }

    [Theory]
    [InlineData(CookieSecurePolicy.Always, "http://example.com/", true)]
    [InlineData(CookieSecurePolicy.Always, "https://example.com/", true)]
    [InlineData(CookieSecurePolicy.None, "http://example.com/", false)]
    [InlineData(CookieSecurePolicy.None, "https://example.com/", false)]
    [InlineData(CookieSecurePolicy.SameAsRequest, "http://example.com/", false)]
    [InlineData(CookieSecurePolicy.SameAsRequest, "https://example.com/", true)]
    public async Task SettingAValue_SecurePolicy_MarksCookieSecureAccordingly(CookieSecurePolicy policy, string uri, bool secure)
    {
        await using var app = await TestApp.StartAsync(
            context =>
            {
                context.Session.SetString("Key", "Value");
                return Task.CompletedTask;
            },
            o => o.Cookie.SecurePolicy = policy);

        var response = await app.Client.GetAsync(uri);

        response.EnsureSuccessStatusCode();
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        // The __Host- prefix exactly when the cookie is always secure (path / and no domain by default).
        Assert.Equal(policy == CookieSecurePolicy.Always, cookie.StartsWith("__Host-stickless=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionCounter_NextRequests_SeeThePreviousValue()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            var value = context.Session.GetInt32("Key");
            if (context.Request.Path == "/first")
            {
                Assert.False(value.HasValue);
                value = 0;
            }

            Assert.True(value.HasValue);
            context.Session.SetInt32("Key", value.Value + 1);
            return context.Response.WriteAsync(value.Value.ToString(CultureInfo.InvariantCulture));
        });
        var client = app.NewSessionClient();

        Assert.Equal("0", await client.GetStringAsync("/first"));
        var cookie = client.Cookie;
        Assert.Equal("1", await client.GetStringAsync("/"));
        Assert.Equal("2", await client.GetStringAsync("/"));
        Assert.Equal("3", await client.GetStringAsync("/"));
        Assert.Equal(cookie, client.Cookie);
    }

    [Fact]
    public async Task RemovedItem_NextRequest_CannotBeAccessed()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            var value = context.Session.GetInt32("Key");
            switch (context.Request.Path.Value)
            {
                case "/first":
                    Assert.False(value.HasValue);
                    value = 0;
                    context.Session.SetInt32("Key", 1);
                    break;
                case "/second":
                    Assert.Equal(1, value);
                    context.Session.Remove("Key");
                    break;
                case "/third":
                    Assert.False(value.HasValue);
                    value = 2;
                    break;
            }

            return context.Response.WriteAsync(value!.Value.ToString(CultureInfo.InvariantCulture));
        });
        var client = app.NewSessionClient();

        Assert.Equal("0", await client.GetStringAsync("/first"));
        Assert.Equal("1", await client.GetStringAsync("/second"));
        Assert.Equal("2", await client.GetStringAsync("/third"));
    }

    [Fact]
    public async Task ClearedItems_NextRequest_CannotBeAccessed()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            var value = context.Session.GetInt32("Key");
            switch (context.Request.Path.Value)
            {
                case "/first":
                    value = 0;
                    context.Session.SetInt32("Key", 1);
                    context.Session.SetString("Other", "x");
                    break;
                case "/second":
                    Assert.Equal(1, value);
                    context.Session.Clear();
                    Assert.Empty(context.Session.Keys);
                    break;
                case "/third":
                    Assert.False(value.HasValue);
                    Assert.Null(context.Session.GetString("Other"));
                    value = 2;
                    break;
            }

            return context.Response.WriteAsync(value!.Value.ToString(CultureInfo.InvariantCulture));
        });
        var client = app.NewSessionClient();

        Assert.Equal("0", await client.GetStringAsync("/first"));
        Assert.Equal("1", await client.GetStringAsync("/second"));
        Assert.Equal("2", await client.GetStringAsync("/third"));
    }

    [Fact]
    public async Task IdleTimeout_ClockPassesIt_SessionExpiresAndANewOneStarts()
    {
        var clock = new ManualTimeProvider();
        await using var app = await TestApp.StartAsync(
            context =>
            {
                var value = context.Session.GetInt32("Key");
                if (context.Request.Path == "/first")
                {
                    context.Session.SetInt32("Key", 1);
                    value = 1;
                }

                return context.Response.WriteAsync(value?.ToString(CultureInfo.InvariantCulture) ?? "none");
            },
            o => o.Policy.IdleTimeout = TimeSpan.FromMinutes(20),
            new TestAppOptions { Clock = clock });
        var client = app.NewSessionClient();

        Assert.Equal("1", await client.GetStringAsync("/first"));
        clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal("1", await client.GetStringAsync("/second"));
        clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal("none", await client.GetStringAsync("/second"));
    }

    [Fact]
    public async Task ReadOnlyRequests_EveryTenMinutes_RefreshSessionPastItsIdleTimeout()
    {
        var clock = new ManualTimeProvider();
        await using var app = await TestApp.StartAsync(
            context =>
            {
                var response = context.Request.Path.Value switch
                {
                    "/AddDataToSession" => Set(context),
                    "/AccessSessionData" => context.Session.GetInt32("Key")?.ToString(CultureInfo.InvariantCulture) ?? "No value found in session.",
                    _ => "did not access session data",
                };
                return context.Response.WriteAsync(response);

                static string Set(HttpContext context)
                {
                    context.Session.SetInt32("Key", 10);
                    return "added data to session";
                }
            },
            o => o.Policy.IdleTimeout = TimeSpan.FromMinutes(20),
            new TestAppOptions { Clock = clock });
        var client = app.NewSessionClient();

        await client.GetStringAsync("/AddDataToSession");
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            await client.GetStringAsync("/DoNotAccessSessionData");
        }

        Assert.Equal("10", await client.GetStringAsync("/AccessSessionData"));
    }

    [Fact]
    public async Task SessionFeature_ResponseGoneOut_IsUnregistered()
    {
        ISessionFeature? after = new SticklessSessionFeature(null!);
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(
            context =>
            {
                context.Session.SetString("key", "value");
                return Task.CompletedTask;
            },
            options: new TestAppOptions
            {
                Outer = pipeline => pipeline.Use((context, next) =>
                {
                    context.Response.OnCompleted(() =>
                    {
                        after = context.Features.Get<ISessionFeature>();
                        completed.TrySetResult();
                        return Task.CompletedTask;
                    });
                    return next(context);
                }),
            });

        (await app.Client.GetAsync("/")).EnsureSuccessStatusCode();
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(after);
    }

    [Fact]
    public async Task SessionKeys_DifferentCase_AreDistinct()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            context.Session.SetString("KEY", "VALUE");
            context.Session.SetString("key", "value");
            Assert.Equal("VALUE", context.Session.GetString("KEY"));
            Assert.Equal("value", context.Session.GetString("key"));
            Assert.Equal(["KEY", "key"], context.Session.Keys.Order(StringComparer.Ordinal));
            return Task.CompletedTask;
        });

        (await app.Client.GetAsync("/")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Keys_NextRequest_ListStoredAndPendingAttributes()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            if (context.Request.Path == "/first")
            {
                context.Session.SetString("a", "1");
                context.Session.SetString("b", "2");
            }
            else
            {
                context.Session.Remove("a");
                context.Session.SetString("c", "3");
            }

            return context.Response.WriteAsync(string.Join(",", context.Session.Keys.Order(StringComparer.Ordinal)));
        });
        var client = app.NewSessionClient();

        Assert.Equal("a,b", await client.GetStringAsync("/first"));
        Assert.Equal("b,c", await client.GetStringAsync("/second"));
        Assert.Equal("b,c", await client.GetStringAsync("/third"));
    }

    [Fact]
    public async Task SessionId_ExistingSession_IsStableAndAvailable()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            Assert.True(context.Session.IsAvailable);
            if (context.Request.Path == "/first")
            {
                context.Session.SetString("k", "v");
            }

            return context.Response.WriteAsync(context.Session.Id);
        });
        var client = app.NewSessionClient();

        var first = await client.GetStringAsync("/first");
        Assert.Equal(client.Cookie, first);
        Assert.Equal(first, await client.GetStringAsync("/second"));
    }

    [Fact]
    public async Task LoadAndCommitAsync_CalledByTheApp_WorkAndCommitOnlyOnce()
    {
        await using var app = await TestApp.StartAsync(async context =>
        {
            await context.Session.LoadAsync();
            context.Session.SetString("k", "v");
            await context.Session.CommitAsync();
            await context.Session.CommitAsync();
        });
        var client = app.NewSessionClient();

        (await client.GetAsync("/")).EnsureSuccessStatusCode();

        Assert.NotNull(client.Cookie);
        Assert.Equal(1, app.Counting!.Commits);
    }

    [Fact]
    public async Task ExceptionInHandler_PendingChanges_AreNotCommitted()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            context.Session.SetString("k", "v");
            throw new InvalidOperationException("boom");
        });

        // TestServer hands the handler's exception to the client.
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.GetAsync("/"));

        Assert.Equal(0, app.Counting!.Commits);
    }

    [Fact]
    public async Task SetAfterResponseStarted_Throws()
    {
        Exception? caught = null;
        await using var app = await TestApp.StartAsync(async context =>
        {
            context.Session.SetString("a", "1");
            await context.Response.WriteAsync("x");
            caught = Record.Exception(() => context.Session.SetString("b", "2"));
        });
        var client = app.NewSessionClient();

        Assert.Equal("x", await client.GetStringAsync("/"));

        Assert.IsType<InvalidOperationException>(caught);
        Assert.NotNull(client.Cookie);
    }
}
