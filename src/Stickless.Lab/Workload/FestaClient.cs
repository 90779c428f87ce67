using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Stickless.Lab.Workload;

/// <summary>
/// One virtual user's browser: its own cookie jar and connection, no automatic redirects, a
/// timeout per request. Speaks Festa's HTTP contract (DESIGN.md) and never throws for an HTTP or
/// network failure: every call ends in a <see cref="FestaResponse{T}"/>.
/// </summary>
internal sealed class FestaClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _signInTimeout;

    /// <summary>Creates a client for the deployment's front end.</summary>
    /// <param name="frontend">The load balancer's address.</param>
    /// <param name="requestTimeout">How long one request may take before it counts as a timeout.</param>
    /// <param name="signInTimeout">The same for sign-up and sign-in, which hash a password.</param>
    /// <param name="connectionLifetime">
    /// How long a pooled connection lives; short, so that even a load balancer that balances per
    /// connection spreads one user's requests.
    /// </param>
    /// <param name="time">The clock latencies are measured with.</param>
    public FestaClient(Uri frontend, TimeSpan requestTimeout, TimeSpan signInTimeout, TimeSpan connectionLifetime, TimeProvider time)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            PooledConnectionLifetime = connectionLifetime,
            ConnectTimeout = requestTimeout,
            UseProxy = false,
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = frontend,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _time = time;
        _requestTimeout = requestTimeout;
        _signInTimeout = signInTimeout;
    }

    /// <summary><c>POST /signup</c>: 201 is <see cref="FestaOutcome.Ok"/>.</summary>
    public Task<FestaResponse<bool>> SignUpAsync(string username, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/signup", "/signup", Credentials(username, password), static _ => true, ct);

    /// <summary><c>POST /login</c>: the answer's user name.</summary>
    public Task<FestaResponse<string?>> LogInAsync(string username, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/login", "/login", Credentials(username, password), FestaJson.ReadUsername, ct);

    /// <summary><c>GET /me</c>: the signed-in user name.</summary>
    public Task<FestaResponse<string?>> GetMeAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "/me", "/me", body: null, FestaJson.ReadUsername, ct);

    /// <summary><c>GET /events</c>: the catalogue's event ids.</summary>
    public Task<FestaResponse<IReadOnlyList<string>>> GetEventsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "/events", "/events", body: null, FestaJson.ReadIds, ct);

    /// <summary><c>GET /wishlist</c>: the event ids in the session's wishlist.</summary>
    public Task<FestaResponse<IReadOnlyList<string>>> GetWishlistAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "/wishlist", "/wishlist", body: null, FestaJson.ReadIds, ct);

    /// <summary><c>PUT /wishlist/{id}</c>.</summary>
    public Task<FestaResponse<bool>> AddToWishlistAsync(string eventId, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, "/wishlist/" + Uri.EscapeDataString(eventId), "/wishlist/{id}", body: null, static _ => true, ct);

    /// <summary><c>DELETE /wishlist/{id}</c>.</summary>
    public Task<FestaResponse<bool>> RemoveFromWishlistAsync(string eventId, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, "/wishlist/" + Uri.EscapeDataString(eventId), "/wishlist/{id}", body: null, static _ => true, ct);

    /// <summary><c>POST /counter</c>: the committed value.</summary>
    public Task<FestaResponse<long>> IncrementCounterAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/counter", "/counter", body: null, FestaJson.ReadCounter, ct);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static string Credentials(string username, string password) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = username, ["password"] = password });

    private async Task<FestaResponse<T>> SendAsync<T>(
        HttpMethod method, string path, string route, string? body, Func<JsonElement, T> parse, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(route is "/signup" or "/login" ? _signInTimeout : _requestTimeout);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, JsonMediaType);
        }

        var operation = $"{method.Method} {route}";
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token)
                .ConfigureAwait(false);
            var servedBy = response.Headers.TryGetValues("X-Served-By", out var values) ? values.FirstOrDefault() : null;
            var status = (int)response.StatusCode;
            var outcome = Classify(status);
            var value = default(T);
            if (outcome == FestaOutcome.Ok)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                value = bytes.Length == 0 ? parse(default) : ParseBody(bytes, parse);
            }

            return new FestaResponse<T>(operation, outcome, status, servedBy, _time.GetElapsedTime(started), value);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new FestaResponse<T>(operation, FestaOutcome.Timeout, 0, null, _time.GetElapsedTime(started), default);
        }
        catch (HttpRequestException)
        {
            return new FestaResponse<T>(operation, FestaOutcome.ConnectionFailed, 0, null, _time.GetElapsedTime(started), default);
        }
    }

    private static T ParseBody<T>(byte[] bytes, Func<JsonElement, T> parse)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return parse(document.RootElement);
        }
        catch (JsonException)
        {
            return parse(default);
        }
    }

    private static FestaOutcome Classify(int status) => status switch
    {
        >= 200 and < 300 => FestaOutcome.Ok,
        401 => FestaOutcome.Unauthorized,
        >= 500 => FestaOutcome.ServerError,
        _ => FestaOutcome.Rejected,
    };
}
