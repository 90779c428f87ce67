using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>
/// <c>/preferences</c>: JSON of the client's own making in session attributes. Every bad value gets a 4xx, never a 5xx,
/// and a session filled to its limits still loads.
/// </summary>
[Collection(FestaCollection.Name)]
public sealed class PreferenceTests(FestaCluster cluster)
{
    public static TheoryData<string, string, string, int> BadPuts() => new()
    {
        { "name with a capital", "Theme", "\"dark\"", 400 },
        { "name with a dot (would reach another attribute)", "a.b", "\"x\"", 400 },
        { "name of 65 characters", new string('n', 65), "\"x\"", 400 },
        { "not JSON", "theme", "dark", 400 },
        { "truncated JSON", "theme", "{\"a\":", 400 },
        { "empty body", "theme", string.Empty, 400 },
        { "33 arrays deep: one over the attribute serializer's bound", "deep", Nested(33), 400 },
        { "8,000 arrays deep (16,000 bytes: under the body limit)", "deep", Nested(8_000), 400 },
        { "17 KB: over Festa's 16 KB body limit", "big", "\"" + new string('x', 17 * 1024) + "\"", 413 },
        { "a lone surrogate escape: valid JSON, not Unicode (it could never be written again)", "text", "\"\\udc00\"", 400 },
        { "a lone surrogate inside an object", "text", "{\"a\":[\"ok\",\"\\ud800x\"]}", 400 },
    };

    [Theory]
    [MemberData(nameof(BadPuts))]
    public async Task Put_BadNameOrValue_ClearClientError(string why, string name, string body, int expected)
    {
        using var client = cluster.A.CreateClient();

        using var response = await PutAsync(client, name, body);

        Assert.True((int)response.StatusCode == expected, $"{why}: answered {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Put_NotJsonContentType_Is415()
    {
        using var client = cluster.A.CreateClient();

        using var response = await client.SendRawAsync(HttpMethod.Put, "/preferences/theme", "\"dark\"", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task PutThenGet_AnonymousSession_ValuesRoundTripUpToTheDepthBound()
    {
        using var client = cluster.A.CreateClient();

        using var theme = await PutAsync(client, "theme", "{\"mode\":\"dark\",\"sizes\":[1,2.5,null,true]}");
        using var deep = await PutAsync(client, "deep", Nested(32));
        using var list = await client.GetAsync("/preferences");

        Assert.Equal(HttpStatusCode.OK, theme.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        var json = await FestaClient.ReadJsonAsync(list);
        Assert.Equal("dark", json.GetProperty("theme").GetProperty("mode").GetString());
        Assert.Equal(4, json.GetProperty("theme").GetProperty("sizes").GetArrayLength());
        Assert.Equal(Nested(32), json.GetProperty("deep").GetRawText());
    }

    [Fact]
    public async Task Put_SessionFilledToItsAttributeLimit_NextAndTheCounterAre422AndTheSessionStillLoads()
    {
        using var client = cluster.A.CreateClient();

        // 256 attributes at most (SessionLimits.MaxAttributeCount); a new session holds none before this.
        HttpStatusCode last = 0;
        var stored = 0;
        for (var i = 0; i < 300 && last != HttpStatusCode.UnprocessableEntity; i++)
        {
            using var response = await PutAsync(client, $"p{i}", $"{i}");
            last = response.StatusCode;
            stored += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"put {i}: {(int)response.StatusCode}");
        }

        using var list = await client.GetAsync("/preferences");
        using var counter = await client.SendAsync(HttpMethod.Post, "/counter");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, last);
        Assert.InRange(stored, 250, 256);
        Assert.Equal(stored, (await FestaClient.ReadJsonAsync(list)).EnumerateObject().Count());
        // The counter is one attribute more: refused the same way, not a 500.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, counter.StatusCode);
    }

    [Fact]
    public async Task Put_SixteenValuesOf16KB_TotalLimitAnswers422NeverA5xx()
    {
        using var client = cluster.A.CreateClient();
        var value = "\"" + new string('v', 16 * 1024 - 100) + "\"";

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await PutAsync(client, $"big{i}", value);
            statuses.Add(response.StatusCode);
        }

        using var list = await client.GetAsync("/preferences");

        Assert.All(statuses, static s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, s.ToString()));
        Assert.Contains(HttpStatusCode.UnprocessableEntity, statuses);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [InlineData("/preferences/slow")]
    [InlineData("/login")]
    public async Task Put_BodyTricklingBelowKestrelsMinimumRate_AnswersItsStatusNot500(string path)
    {
        // A 2,000-byte body at 4 bytes a second: Kestrel gives up after its 5 s grace (MinRequestBodyDataRate).
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(cluster.A.BaseAddress.Host, cluster.A.BaseAddress.Port);
        var stream = socket.GetStream();
        var method = path == "/login" ? "POST" : "PUT";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answer = new byte[4096];
        var read = stream.ReadAsync(answer, timeout.Token).AsTask();
        while (!read.IsCompleted)
        {
            try
            {
                await stream.WriteAsync("aaaa"u8.ToArray(), timeout.Token);
            }
            catch (IOException)
            {
                break; // Kestrel closed after answering.
            }

            await Task.WhenAny(read, Task.Delay(1000, timeout.Token));
        }

        var statusLine = System.Text.Encoding.ASCII.GetString(answer, 0, await read).Split("\r\n")[0];
        Assert.StartsWith("HTTP/1.1 4", statusLine, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PutAsync(FestaClient client, string name, string body) =>
        client.SendRawAsync(HttpMethod.Put, "/preferences/" + Uri.EscapeDataString(name), body);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);
}
