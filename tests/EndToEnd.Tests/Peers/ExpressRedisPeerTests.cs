using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Peers;

/// <summary>The contract on express-session + connect-redis (samples/peers/express-redis), and where it differs by design.</summary>
public sealed class ExpressRedisPeerTests(ExpressRedisPeerPair pair)
    : PeerContractTests<ExpressRedisPeerPair>(pair), IClassFixture<ExpressRedisPeerPair>
{
    /// <summary>
    /// The express-session docs' login regenerates the session: a new id, and the old one destroyed, so the pre-login id
    /// is dead (no fixation). Festa keeps the anonymous session's data across the rotation; regenerate drops it, so the
    /// counter starts again at 1.
    /// </summary>
    [Fact]
    public async Task Login_AnonymousSessionWithData_NewIdOldIdDeadDataDropped()
    {
        using var client = Pair.A.CreateClient();
        var username = Users.NewName("regen");
        await client.SignUpAsync(username, Users.Password);
        Assert.Equal(1, await client.CountAsync());
        Assert.Equal(2, await client.CountAsync());
        var anonymousId = Pair.SessionCookie(client)!;

        await client.LogInAsync(username, Users.Password);
        var signedInId = Pair.SessionCookie(client);
        Assert.NotEqual(anonymousId, signedInId);
        Assert.Equal(1, await client.CountAsync());

        using var raw = new RawClient(Pair.B.BaseAddress);
        using var me = await raw.SendAsync(HttpMethod.Get, "/me", Pair.CookieHeader(anonymousId));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
