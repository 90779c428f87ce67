using Microsoft.Net.Http.Headers;

namespace Stickless.AspNetCore.Tests.Infrastructure;

/// <summary>An HttpClient that keeps one session cookie by hand, so tests can see and forge exactly what is sent.</summary>
public sealed class SessionClient
{
    private readonly HttpClient _http;

    public SessionClient(HttpClient http, string cookieName = "stickless")
    {
        _http = http;
        CookieName = cookieName;
    }

    public string CookieName { get; }

    /// <summary>The cookie value sent with the next request (null: none).</summary>
    public string? Cookie { get; set; }

    public HttpResponseMessage? LastResponse { get; private set; }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content, Version = _http.DefaultRequestVersion, VersionPolicy = _http.DefaultVersionPolicy };
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", $"{CookieName}={Cookie}");
        }

        var response = await _http.SendAsync(request);
        var set = SetCookie(response);
        if (set is not null)
        {
            Cookie = set.Expires is { } expires && expires < DateTimeOffset.UtcNow ? null : set.Value.ToString();
            if (Cookie is { Length: 0 })
            {
                Cookie = null;
            }
        }

        LastResponse = response;
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<HttpResponseMessage> PostAsync(string path) => SendAsync(HttpMethod.Post, path);

    public async Task<string> GetStringAsync(string path)
    {
        var response = await GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public SetCookieHeaderValue? SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? SetCookieHeaderValue.ParseList(values.ToList()).LastOrDefault(c => c.Name == CookieName)
            : null;
}
