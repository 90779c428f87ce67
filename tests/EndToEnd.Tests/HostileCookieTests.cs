using System.Net;
using System.Security.Cryptography;
using System.Buffers.Text;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>
/// Forged, malformed and oversized session cookies: each gets a fresh session or a 4xx, never a 5xx, never
/// someone's session, and an id the server did not issue is never adopted.
/// </summary>
[Collection(FestaCollection.Name)]
public sealed class HostileCookieTests(FestaCluster cluster)
{
    public static TheoryData<string, string> HostileCookieHeaders() => new()
    {
        { "forged: random well-formed id", SessionCookie.Header(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))) },
        { "forged: all zero bits", SessionCookie.Header(new string('A', 43)) },
        { "bad characters", SessionCookie.Header("abc$%^&*()!@#abc$%^&*()!@#abc$%^&*()!@#abcd") },
        { "standard base64 alphabet", SessionCookie.Header("ab+/" + new string('x', 39)) },
        { "too short (42)", SessionCookie.Header(new string('x', 42)) },
        { "too long (44)", SessionCookie.Header(new string('x', 44)) },
        { "padded", SessionCookie.Header(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) + "=") },
        { "empty value", SessionCookie.Header(string.Empty) },
        { "quoted value", SessionCookie.Header("\"" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) + "\"") },
        { "two session cookies", $"{SessionCookie.Header(new string('B', 43))}; {SessionCookie.Header(new string('C', 43))}" },
        { "no name", "=" + new string('D', 43) },
        { "garbage header", ";;;===;;; ; =; stickless" },
        { "percent-encoded", SessionCookie.Header("%00%01%02" + new string('E', 34)) },
        { "8 KB", SessionCookie.Header(new string('a', 8 * 1024)) },
        { "16 KB", SessionCookie.Header(new string('a', 16 * 1024)) },
        { "16 KB of other cookies", string.Join("; ", Enumerable.Range(0, 160).Select(i => $"c{i}={new string('z', 100)}")) },
        { "64 KB (over Kestrel's header limit)", SessionCookie.Header(new string('a', 64 * 1024)) },
    };

    [Theory]
    [MemberData(nameof(HostileCookieHeaders))]
    public async Task Counter_HostileCookie_FreshSessionOr4xxNeverAdopted(string why, string cookieHeader)
    {
        using var raw = new RawClient(cluster.A.BaseAddress);

        using var counter = await raw.SendAsync(HttpMethod.Post, "/counter", cookieHeader);
        var status = (int)counter.StatusCode;
        Assert.True(status is 200 or (>= 400 and < 500), $"{why}: POST /counter answered {status}");
        if (status == 200)
        {
            // A brand-new session: the counter starts at one, and the id is the server's own.
            Assert.Equal(1, (await FestaClient.ReadJsonAsync(counter)).GetProperty("value").GetInt64());
            var issued = SessionCookie.FromResponse(counter);
            Assert.False(string.IsNullOrEmpty(issued), $"{why}: a new session must get a new cookie");
            Assert.DoesNotContain(issued!, cookieHeader, StringComparison.Ordinal);
            Assert.Equal(43, issued!.Length);
        }

        using var me = await raw.SendAsync(HttpMethod.Get, "/me", cookieHeader);
        var meStatus = (int)me.StatusCode;
        Assert.True(meStatus is >= 400 and < 500, $"{why}: GET /me answered {meStatus}");
        if (meStatus != 431)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }
    }

    [Fact]
    public async Task Counter_ForgedIdTwice_NeverAdoptsIt()
    {
        using var raw = new RawClient(cluster.A.BaseAddress);
        var forged = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        // Were the forged id adopted, the second request would find the first one's counter.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await raw.SendWithIdAsync(HttpMethod.Post, "/counter", forged);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, (await FestaClient.ReadJsonAsync(response)).GetProperty("value").GetInt64());
            Assert.NotEqual(forged, SessionCookie.FromResponse(response));
        }
    }

    [Fact]
    public async Task Me_SignedInIdWithOneCharacterChanged_IsAnonymous()
    {
        using var client = cluster.A.CreateClient();
        await client.SignUpAndLogInAsync("tamper");
        var id = client.SessionId!;
        var tampered = (id[0] == 'A' ? 'B' : 'A') + id[1..];

        using var raw = new RawClient(cluster.A.BaseAddress);
        using var me = await raw.SendWithIdAsync(HttpMethod.Get, "/me", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
