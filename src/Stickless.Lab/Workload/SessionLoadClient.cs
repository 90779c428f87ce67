using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Stickless.Lab.Workload;

/// <summary>
/// One connection of a <see cref="SessionLoadRunner"/>: no cookie jar of its own (each request carries the cookies of
/// the <see cref="LoadSession"/> it is for), one request at a time, a timeout per request. Never throws for an HTTP or
/// network failure: every call ends in a <see cref="FestaResponse{T}"/>.
/// </summary>
internal sealed class SessionLoadClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient http;
    private readonly TimeProvider time;
    private readonly TimeSpan requestTimeout;
    private readonly TimeSpan signInTimeout;

    /// <summary>Creates a connection to <paramref name="frontend"/>.</summary>
    public SessionLoadClient(Uri frontend, WorkloadOptions options, TimeProvider time)
    {
        http = new HttpClient(
            new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = options.ConnectionLifetime,
                ConnectTimeout = options.RequestTimeout,
                UseProxy = false,
            },
            disposeHandler: true)
        {
            BaseAddress = frontend,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        this.time = time;
        requestTimeout = options.RequestTimeout;
        signInTimeout = options.SignInTimeout;
    }

    /// <summary><c>POST /signup</c>: 201 is <see cref="FestaOutcome.Ok"/>.</summary>
    public Task<FestaResponse<bool>> SignUpAsync(string username, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/signup", new LoadSession(), Credentials(username, password), static _ => true, ct);

    /// <summary><c>POST /login</c> on <paramref name="session"/>: the answer's user name.</summary>
    public Task<FestaResponse<string?>> LogInAsync(LoadSession session, string username, string password, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/login", session, Credentials(username, password), FestaJson.ReadUsername, ct);

    /// <summary><c>GET /me</c> on <paramref name="session"/>: the signed-in user name.</summary>
    public Task<FestaResponse<string?>> GetMeAsync(LoadSession session, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "/me", session, body: null, FestaJson.ReadUsername, ct);

    /// <summary><c>GET /baseline</c> with <paramref name="session"/>'s cookies (the endpoint never reads them): the user name it answers.</summary>
    public Task<FestaResponse<string?>> GetBaselineAsync(LoadSession session, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "/baseline", session, body: null, FestaJson.ReadUsername, ct);

    /// <summary><c>POST /logout</c> on <paramref name="session"/>: 204 is <see cref="FestaOutcome.Ok"/>.</summary>
    public Task<FestaResponse<bool>> LogOutAsync(LoadSession session, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/logout", session, body: null, static _ => true, ct);

    /// <summary><c>POST /counter</c> on <paramref name="session"/>: the committed value.</summary>
    public Task<FestaResponse<long>> IncrementCounterAsync(LoadSession session, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/counter", session, body: null, FestaJson.ReadCounter, ct);

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private static string Credentials(string username, string password) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = username, ["password"] = password });

    private async Task<FestaResponse<T>> SendAsync<T>(
        HttpMethod method, string path, LoadSession session, string? body, Func<JsonElement, T> parse, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(path is "/signup" or "/login" ? signInTimeout : requestTimeout);
        using var request = new HttpRequestMessage(method, path);
        session.Apply(request);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, JsonMediaType);
        }

        var operation = $"{method.Method} {path}";
        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            session.Update(response.Headers);
            var servedBy = response.Headers.TryGetValues("X-Served-By", out var values) ? values.FirstOrDefault() : null;
            var status = (int)response.StatusCode;
            var outcome = status switch
            {
                >= 200 and < 300 => FestaOutcome.Ok,
                401 => FestaOutcome.Unauthorized,
                >= 500 => FestaOutcome.ServerError,
                _ => FestaOutcome.Rejected,
            };
            var value = default(T);
            if (outcome == FestaOutcome.Ok)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                value = Parse(bytes, parse);
            }

            return new FestaResponse<T>(operation, outcome, status, servedBy, time.GetElapsedTime(started), value);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new FestaResponse<T>(operation, FestaOutcome.Timeout, 0, null, time.GetElapsedTime(started), default);
        }
        catch (HttpRequestException)
        {
            return new FestaResponse<T>(operation, FestaOutcome.ConnectionFailed, 0, null, time.GetElapsedTime(started), default);
        }
    }

    private static T Parse<T>(byte[] bytes, Func<JsonElement, T> parse)
    {
        if (bytes.Length == 0)
        {
            return parse(default);
        }

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
}
