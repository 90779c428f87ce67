using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>A browser-like client of one Festa node: its own cookie jar, JSON helpers.</summary>
public sealed class FestaClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a client of <paramref name="baseAddress"/>.</summary>
    public FestaClient(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The node's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The cookie jar.</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>The session id the jar holds, or null.</summary>
    public string? SessionId => Cookies.GetCookies(BaseAddress)[SessionCookie.Name]?.Value is { Length: > 0 } id ? id : null;

    /// <summary>Sends a request with no body.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) =>
        _http.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)));

    /// <summary>GETs <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>POSTs <paramref name="body"/> as JSON.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) =>
        _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);

    /// <summary>POSTs a raw body with a content type, for malformed-input tests.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        _http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Sends a raw body with any method and content type, for malformed-input tests.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json") =>
        _http.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    /// <summary>Signs up <paramref name="username"/> and asserts 201.</summary>
    public async Task SignUpAsync(string username, string password)
    {
        using var response = await PostJsonAsync("/signup", new { username, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Logs in and asserts 200.</summary>
    public async Task LogInAsync(string username, string password)
    {
        using var response = await PostJsonAsync("/login", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Signs up a fresh random user and logs in as them; returns the user name.</summary>
    public async Task<string> SignUpAndLogInAsync(string prefix = "user")
    {
        var username = Users.NewName(prefix);
        await SignUpAsync(username, Users.Password);
        await LogInAsync(username, Users.Password);
        return username;
    }

    /// <summary>POST /counter, asserting 200; returns the value.</summary>
    public async Task<long> CountAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/counter");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("value").GetInt64();
    }

    /// <summary>GET /wishlist, asserting 200; returns the ids.</summary>
    public async Task<int[]> WishlistAsync()
    {
        using var response = await GetAsync("/wishlist");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(item => item.GetInt32())];
    }

    /// <summary>Reads a JSON body.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
