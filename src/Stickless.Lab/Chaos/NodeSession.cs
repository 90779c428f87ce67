using System.Text;
using System.Text.Json;
using Stickless.Lab.Dashboard;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Chaos;

/// <summary>
/// One browser session the lab drives straight at chosen nodes, past HAProxy: the same cookie sent to whichever node
/// the caller names, so a fault can write a session on one side of a partition and read it on the other. Never throws
/// for an HTTP or network failure: a failed call answers status 0.
/// </summary>
internal sealed class NodeSession
{
    private readonly HttpClient http;
    private readonly CookieJar cookies = new();
    private readonly TimeSpan timeout;

    /// <summary>Creates a session with no cookie yet.</summary>
    /// <param name="http">A client without a cookie container of its own (the session keeps its cookie by hand).</param>
    /// <param name="timeout">How long one call may take.</param>
    public NodeSession(HttpClient http, TimeSpan timeout)
    {
        this.http = http;
        this.timeout = timeout;
    }

    /// <summary><c>POST /signup</c> then <c>POST /login</c> on <paramref name="node"/>; true when signed in.</summary>
    public async Task<bool> SignUpAndInAsync(Uri node, string username, string password, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = username, ["password"] = password });
        var signUp = await SendAsync(node, HttpMethod.Post, "signup", body, ct, keepCookie: true).ConfigureAwait(false);
        if (signUp.Status is not (201 or 409))
        {
            return false;
        }

        return (await SendAsync(node, HttpMethod.Post, "login", body, ct, keepCookie: true).ConfigureAwait(false)).Status == 200;
    }

    /// <summary><c>GET /me</c> on <paramref name="node"/>: the status (200 signed in, 401 not) and the user name.</summary>
    public async Task<(int Status, string? Username)> MeAsync(Uri node, CancellationToken ct)
    {
        var answer = await SendAsync(node, HttpMethod.Get, "me", null, ct).ConfigureAwait(false);
        return (answer.Status, answer.Status == 200 ? Read(answer.Body, FestaJson.ReadUsername) : null);
    }

    /// <summary><c>POST /logout</c> on <paramref name="node"/>: the status (204 when the session was deleted).</summary>
    public async Task<int> LogOutAsync(Uri node, CancellationToken ct) =>
        (await SendAsync(node, HttpMethod.Post, "logout", null, ct).ConfigureAwait(false)).Status;

    /// <summary><c>PUT /wishlist/{id}</c> on <paramref name="node"/>: the status (200 when acknowledged).</summary>
    public async Task<int> AddToWishlistAsync(Uri node, int eventId, CancellationToken ct) =>
        (await SendAsync(node, HttpMethod.Put, "wishlist/" + eventId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, ct).ConfigureAwait(false)).Status;

    /// <summary><c>POST /counter</c> on <paramref name="node"/>: the status and the counter's new value (-1 unless 200).</summary>
    public async Task<(int Status, long Value)> IncrementCounterAsync(Uri node, CancellationToken ct)
    {
        var answer = await SendAsync(node, HttpMethod.Post, "counter", null, ct).ConfigureAwait(false);
        return (answer.Status, answer.Status == 200 ? Read(answer.Body, FestaJson.ReadCounter) : -1);
    }

    /// <summary><c>GET /wishlist</c> on <paramref name="node"/>: the status and the event ids (sorted; null unless 200).</summary>
    public async Task<(int Status, IReadOnlyList<string>? Items)> WishlistAsync(Uri node, CancellationToken ct)
    {
        var answer = await SendAsync(node, HttpMethod.Get, "wishlist", null, ct).ConfigureAwait(false);
        return (answer.Status, answer.Status == 200 ? Read(answer.Body, FestaJson.ReadIds) : null);
    }

    private static T? Read<T>(byte[] body, Func<JsonElement, T> parse)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return parse(document.RootElement);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    // Only sign-up and sign-in take the cookie the node sets: afterwards the session must keep asking about the same id,
    // even when a node answers it with a fresh one.
    private async Task<(int Status, byte[] Body)> SendAsync(Uri node, HttpMethod method, string path, string? json, CancellationToken ct, bool keepCookie = false)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        using var request = new HttpRequestMessage(method, new Uri(node, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        cookies.Apply(request);
        try
        {
            using var response = await http.SendAsync(request, bounded.Token).ConfigureAwait(false);
            if (keepCookie)
            {
                cookies.Update(response.Headers);
            }

            return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(bounded.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return (0, []);
        }
    }

    /// <summary>A client for node sessions: no cookie container, no proxy, no redirects.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
