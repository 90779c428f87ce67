using System.Net;
using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;
using Flash;

namespace EndToEnd.Tests;

/// <summary>
/// MVC controllers and Razor Pages keep TempData in the session (<c>AddSessionStateTempDataProvider</c>) and save it while
/// the response starts: on Stickless (in memory and on Redis) they answer exactly as on ASP.NET Core's own session middleware.
/// </summary>
public sealed partial class TempDataTests
{
    // What every session middleware must answer, step by step.
    private static readonly string[] Expected =
    [
        "set -> 302 /mvc/show", "show: hello", "show: (none)",
        "set -> 302 /mvc/show", "peek: p", "peek: p", "read: p", "read: (none)",
        "set -> 302 /mvc/show", "keep: k", "read: k", "read: (none)",
        "page set -> 302 /pages/flash", "page: rp", "page: (none)",
    ];

    [Theory]
    [InlineData("AspNetCore", null)]
    [InlineData("Stickless", "InMemory")]
    [InlineData("Stickless", "Redis")]
    public async Task TempData_SetRedirectReadOncePeekKeepAndPages_AnswersAsAspNetCoreSessionDoes(string sessions, string? store)
    {
        await using var redis = store == "Redis" ? await RedisProcess.StartAsync() : null;
        List<string> args = ["--urls", "http://127.0.0.1:0", $"--{FlashApp.SessionsKey}={sessions}", "--Logging:LogLevel:Default=Warning"];
        if (store is not null)
        {
            args.Add($"--Stickless:Store={store}");
        }

        if (redis is not null)
        {
            args.Add($"--Stickless:Redis:Configuration={redis.Endpoint}");
        }

        await using var app = FlashApp.Build([.. args]);
        await app.StartAsync();
        using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(app.Urls.First()),
        };
        var transcript = new List<string>();

        await SetAsync(browser, "/mvc/set", "hello", transcript, "set");
        transcript.Add("show: " + Message(await GetAsync(browser, "/mvc/show")));
        transcript.Add("show: " + Message(await GetAsync(browser, "/mvc/show")));
        await SetAsync(browser, "/mvc/set", "p", transcript, "set");
        transcript.Add("peek: " + await GetAsync(browser, "/mvc/peek"));
        transcript.Add("peek: " + await GetAsync(browser, "/mvc/peek"));
        transcript.Add("read: " + await GetAsync(browser, "/mvc/read"));
        transcript.Add("read: " + await GetAsync(browser, "/mvc/read"));
        await SetAsync(browser, "/mvc/set", "k", transcript, "set");
        transcript.Add("keep: " + await GetAsync(browser, "/mvc/keep"));
        transcript.Add("read: " + await GetAsync(browser, "/mvc/read"));
        transcript.Add("read: " + await GetAsync(browser, "/mvc/read"));
        await SetAsync(browser, "/pages/flash", "rp", transcript, "page set");
        transcript.Add("page: " + Message(await GetAsync(browser, "/pages/flash")));
        transcript.Add("page: " + Message(await GetAsync(browser, "/pages/flash")));

        Assert.Equal(Expected, transcript);
    }

    private static async Task SetAsync(HttpClient browser, string path, string text, List<string> transcript, string label)
    {
        using var response = await browser.PostAsync(path, new FormUrlEncodedContent([new KeyValuePair<string, string>("text", text)]));
        transcript.Add($"{label} -> {(int)response.StatusCode} {response.Headers.Location}");
    }

    private static async Task<string> GetAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static string Message(string html) => MessagePattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : "(no message element)";

    [GeneratedRegex("<p id=\"message\">(.*?)</p>")]
    private static partial Regex MessagePattern();
}
