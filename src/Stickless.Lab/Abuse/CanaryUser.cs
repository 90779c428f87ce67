using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Abuse;

/// <summary>
/// A real user during the abuse: signs in through HAProxy like a browser, plants a canary (a random preference value)
/// and a wishlist, and then, in a loop, checks that it is still itself, that its canary and wishlist are intact and
/// that its counter goes up by one each time. Its secrets (canary, user name, session id) go to the
/// <see cref="LeakScanner"/>, so that no hostile answer may show them.
/// </summary>
internal sealed class CanaryUser : IDisposable
{
    /// <summary>The most mismatch examples kept.</summary>
    public const int MaxExamples = 5;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient http;
    private readonly CookieContainer cookies = new();
    private readonly Uri frontend;
    private readonly string username;
    private readonly string canary = "CANARY-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly int[] wishlist;
    private readonly LatencyHistogram latency = new();
    private readonly List<string> examples = [];
    private long counter;

    /// <summary>Creates user number <paramref name="index"/>; nothing is sent yet.</summary>
    public CanaryUser(Uri frontend, int index, string runId)
    {
        this.frontend = frontend;
        username = string.Create(CultureInfo.InvariantCulture, $"canary-{runId}-{index}");
        wishlist = [(index * 7 % 240) + 1, (index * 13 % 240) + 1, (index * 31 % 240) + 1];
        wishlist = [.. wishlist.Distinct().Order()];
        http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = frontend,
            Timeout = RequestTimeout,
        };
    }

    /// <summary>Checks made (each loop asks four questions).</summary>
    public long Checks { get; private set; }

    /// <summary>Answers that were wrong: another user, a changed canary or wishlist, a counter that skipped or went back.</summary>
    public long Mismatches { get; private set; }

    /// <summary>Answers that failed (5xx, timeouts, unexpected 4xx).</summary>
    public long Errors { get; private set; }

    /// <summary>Every latency measured.</summary>
    public LatencyHistogram Latency => latency;

    /// <summary>Up to five of the mismatches and errors.</summary>
    public IReadOnlyList<string> Examples => examples;

    /// <summary>Signs up and in, plants the canary and the wishlist, and hands its secrets to <paramref name="leaks"/>; false when any step failed.</summary>
    public async Task<bool> PrepareAsync(string password, LeakScanner leaks, CancellationToken ct)
    {
        var credentials = JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = username, ["password"] = password });
        using var signUp = await http.PostAsync("/signup", Json(credentials), ct).ConfigureAwait(false);
        using var login = await http.PostAsync("/login", Json(credentials), ct).ConfigureAwait(false);
        using var plant = await http.PutAsync("/preferences/canary", Json(JsonSerializer.Serialize(canary)), ct).ConfigureAwait(false);
        if (signUp.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict) || login.StatusCode != HttpStatusCode.OK || plant.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        foreach (var id in wishlist)
        {
            using var add = await http.PutAsync(string.Create(CultureInfo.InvariantCulture, $"/wishlist/{id}"), null, ct).ConfigureAwait(false);
            if (add.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
        }

        var sessionId = cookies.GetCookies(frontend)[HostileCatalogue.CookieName]?.Value;
        if (string.IsNullOrEmpty(sessionId))
        {
            return false;
        }

        leaks.Add($"canary of {username}", canary);
        leaks.Add($"user name {username}", username);
        leaks.Add($"session id of {username}", sessionId);
        return true;
    }

    /// <summary>Checks itself in a loop while <paramref name="keepGoing"/> says so, pausing <paramref name="pause"/> between loops.</summary>
    public async Task RunAsync(Func<bool> keepGoing, TimeSpan pause, CancellationToken ct)
    {
        while (keepGoing() && !ct.IsCancellationRequested)
        {
            await CheckOnceAsync(ct).ConfigureAwait(false);
            await Task.Delay(pause, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One loop: who am I, my canary, my wishlist, my counter.</summary>
    public async Task CheckOnceAsync(CancellationToken ct)
    {
        await AskAsync(HttpMethod.Get, "/me", root =>
            root.TryGetProperty("username", out var name) && name.GetString() == username ? null : $"GET /me answered {root.GetRawText()}", ct).ConfigureAwait(false);
        await AskAsync(HttpMethod.Get, "/preferences", root =>
            root.TryGetProperty("canary", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == canary ? null : "the canary preference changed or vanished", ct).ConfigureAwait(false);
        await AskAsync(HttpMethod.Get, "/wishlist", root =>
            FestaJson.ReadIds(root).SequenceEqual(wishlist.Select(static i => i.ToString(CultureInfo.InvariantCulture))) ? null : $"the wishlist is {root.GetRawText()}", ct).ConfigureAwait(false);
        await AskAsync(HttpMethod.Post, "/counter", root =>
        {
            var value = FestaJson.ReadCounter(root);
            var expected = counter + 1;
            counter = Math.Max(counter, value);
            return value == expected ? null : string.Create(CultureInfo.InvariantCulture, $"the counter answered {value}, expected {expected}");
        }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task AskAsync(HttpMethod method, string path, Func<JsonElement, string?> judge, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        Checks++;
        try
        {
            using var request = new HttpRequestMessage(method, path);
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            latency.Record(Stopwatch.GetElapsedTime(started));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Errors++;
                Note(string.Create(CultureInfo.InvariantCulture, $"{method} {path} answered {(int)response.StatusCode}"));
                return;
            }

            using var document = JsonDocument.Parse(body);
            if (judge(document.RootElement) is { } wrong)
            {
                Mismatches++;
                Note($"{username}: {wrong}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            Errors++;
            Note($"{method} {path}: {ex.GetType().Name}");
        }
    }

    private void Note(string line)
    {
        if (examples.Count < MaxExamples)
        {
            examples.Add(line);
        }
    }
}
