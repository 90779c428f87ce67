using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Peers;

/// <summary>The contract on ASP.NET Core Session over RedisCache (samples/peers/aspnetcore-redis), and where it differs by design.</summary>
public sealed class AspNetCoreRedisPeerTests(AspNetCoreRedisPeerPair pair)
    : PeerContractTests<AspNetCoreRedisPeerPair>(pair), IClassFixture<AspNetCoreRedisPeerPair>
{
    /// <summary>
    /// Festa rotates the id at sign-in. ASP.NET Core Session has no way to: the id the browser had before signing in is
    /// the signed-in id, so whoever planted it is signed in too (session fixation). The data stays, the id does not change.
    /// </summary>
    [Fact]
    public async Task Login_AnonymousSessionWithData_KeepsTheIdSoThePreLoginIdIsSignedIn()
    {
        using var client = Pair.A.CreateClient();
        var username = Users.NewName("fixate");
        await client.SignUpAsync(username, Users.Password);
        Assert.Equal(1, await client.CountAsync());
        var anonymousId = Pair.SessionCookie(client)!;

        using (var login = await client.PostJsonAsync("/login", new { username, password = Users.Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.False(login.Headers.Contains("Set-Cookie"), "ASP.NET Core Session issued a new cookie at login");
        }

        Assert.Equal(anonymousId, Pair.SessionCookie(client));
        Assert.Equal(2, await client.CountAsync());

        using var raw = new RawClient(Pair.B.BaseAddress);
        using var me = await raw.SendAsync(HttpMethod.Get, "/me", Pair.CookieHeader(anonymousId));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(username, (await FestaClient.ReadJsonAsync(me)).GetProperty("username").GetString());
    }
}
