using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>The parts of the Festa HTTP contract that are not about sessions: health, catalogue, headers, bad bodies.</summary>
[Collection(FestaCollection.Name)]
public sealed class ContractTests(FestaCluster cluster)
{
    [Theory]
    [InlineData("GET", "/healthz")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/app.js")]
    [InlineData("GET", "/events")]
    [InlineData("GET", "/me")]
    [InlineData("POST", "/counter")]
    [InlineData("GET", "/no-such-page")]
    [InlineData("POST", "/login")]
    public async Task AnyRequest_Answered_CarriesXServedBy(string method, string path)
    {
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            using var client = node.CreateClient();
            using var response = await client.SendAsync(new HttpMethod(method), path);
            Assert.True(response.Headers.TryGetValues("X-Served-By", out var values), $"{method} {path} ({(int)response.StatusCode}) has no X-Served-By");
            Assert.Equal(node.Name, Assert.Single(values));
        }
    }

    [Fact]
    public async Task Healthz_InMemoryStore_Returns200()
    {
        using var client = cluster.A.CreateClient();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await FestaClient.ReadJsonAsync(response);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal("InMemory", json.GetProperty("store").GetString());
        Assert.Null(SessionCookie.FromResponse(response)); // a probe never starts a session
    }

    [Fact]
    public async Task Events_Catalogue_Has240EventsWithIdTitleCityDate()
    {
        using var client = cluster.A.CreateClient();
        using var response = await client.GetAsync("/events");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await FestaClient.ReadJsonAsync(response)).EnumerateArray().ToArray();
        Assert.Equal(240, events.Length);
        Assert.Equal(Enumerable.Range(1, 240), events.Select(e => e.GetProperty("id").GetInt32()));
        Assert.Equal(240, events.Select(e => (e.GetProperty("title").GetString(), e.GetProperty("city").GetString())).Distinct().Count());
        Assert.All(events, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("city").GetString()));
            Assert.True(DateOnly.TryParseExact(e.GetProperty("date").GetString(), "yyyy-MM-dd", out _));
        });
    }

    [Fact]
    public async Task FrontPage_Get_ServesHtmlAndScript()
    {
        using var client = cluster.A.CreateClient();
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Festa", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var script = await client.GetAsync("/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Theory]
    [InlineData("/signup", "{", 400)]
    [InlineData("/signup", "{\"username\": \"abc\", \"password\": ", 400)]
    [InlineData("/signup", "not json at all", 400)]
    [InlineData("/signup", "[]", 400)]
    [InlineData("/signup", "null", 400)]
    [InlineData("/signup", "42", 400)]
    [InlineData("/signup", "", 400)]
    [InlineData("/signup", "{}", 400)]
    [InlineData("/signup", "{\"username\": 5, \"password\": \"long-enough\"}", 400)]
    [InlineData("/signup", "{\"username\": \"ab\", \"password\": \"long-enough\"}", 400)]
    [InlineData("/signup", "{\"username\": \"Alice\", \"password\": \"long-enough\"}", 400)]
    [InlineData("/signup", "{\"username\": \"a b c\", \"password\": \"long-enough\"}", 400)]
    [InlineData("/signup", "{\"username\": \"abcdefghijabcdefghijabcdefghijabc\", \"password\": \"long-enough\"}", 400)]
    [InlineData("/signup", "{\"username\": \"valid_name\", \"password\": \"short\"}", 400)]
    [InlineData("/signup", "{\"username\": \"valid_name\"}", 400)]
    [InlineData("/login", "{", 400)]
    [InlineData("/login", "{\"username\": [\"alice\"], \"password\": \"alice-festa-2026\"}", 400)]
    [InlineData("/login", "{\"password\": \"alice-festa-2026\"}", 400)]
    public async Task AccountEndpoint_BadJsonBody_Returns4xxProblem(string path, string body, int expected)
    {
        using var client = cluster.A.CreateClient();
        using var response = await client.PostRawAsync(path, body);
        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await FestaClient.ReadJsonAsync(response);
        Assert.True(problem.TryGetProperty("detail", out var detail) && detail.GetString()!.Length > 0);
    }

    [Fact]
    public async Task SignUp_InvalidFields_ListsEveryError()
    {
        using var client = cluster.A.CreateClient();
        using var response = await client.PostRawAsync("/signup", "{\"username\": \"X\", \"password\": \"\"}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FestaClient.ReadJsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("username", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task SignUp_NotJsonContentType_Returns415()
    {
        using var client = cluster.A.CreateClient();
        using var response = await client.PostRawAsync("/signup", "{\"username\": \"formpost\", \"password\": \"long-enough\"}", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task SignUp_OversizedBody_Returns413()
    {
        using var client = cluster.A.CreateClient();
        var body = "{\"username\": \"big\", \"password\": \"" + new string('p', 64 * 1024) + "\"}";
        using var response = await client.PostRawAsync("/signup", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
