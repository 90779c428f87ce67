namespace EndToEnd.Tests.Infrastructure;

/// <summary>A client without a cookie jar: every request carries exactly the Cookie header it is given.</summary>
public sealed class RawClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with the Cookie header <paramref name="cookieHeader"/> (none when null).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? cookieHeader)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (cookieHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
        }

        return _http.SendAsync(request);
    }

    /// <summary>Sends with the session id <paramref name="sessionId"/> as the only cookie.</summary>
    public Task<HttpResponseMessage> SendWithIdAsync(HttpMethod method, string path, string sessionId) =>
        SendAsync(method, path, SessionCookie.Header(sessionId));

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
