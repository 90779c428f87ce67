using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>Two Festa nodes sharing one Redis: a session is the same on both, whichever node a request reaches.</summary>
public sealed class RedisTwoNodeTests(RedisFestaPair pair) : IClassFixture<RedisFestaPair>
{
    [Fact]
    public async Task LogIn_OnNodeA_SignedInOnNodeB_LogOutOnB_GoneOnA()
    {
        using var onA = pair.A.CreateClient();
        var username = await onA.SignUpAndLogInAsync("redis");
        using var onB = RedisFestaPair.ClientWithSession(pair.B, onA.SessionId!);

        using (var me = await onB.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(username, (await FestaClient.ReadJsonAsync(me)).GetProperty("username").GetString());
            Assert.Equal(pair.B.Name, me.Headers.GetValues("X-Served-By").Single());
        }

        using (var logout = await onB.SendAsync(HttpMethod.Post, "/logout"))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var afterLogout = await onA.GetAsync("/me");
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [Fact]
    public async Task WishlistAndCounter_ConcurrentOnTwoNodes_BothSurvive()
    {
        using var onA = pair.A.CreateClient();
        await onA.SignUpAndLogInAsync("pair");
        using var onB = RedisFestaPair.ClientWithSession(pair.B, onA.SessionId!);

        const int Rounds = 20;
        for (var round = 1; round <= Rounds; round++)
        {
            var put = onB.SendAsync(HttpMethod.Put, $"/wishlist/{round}");
            var count = onA.CountAsync();
            await Task.WhenAll(put, count);
            using var putResponse = await put;
            Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);
        }

        Assert.Equal(Enumerable.Range(1, Rounds), await onA.WishlistAsync());
        Assert.Equal(Rounds + 1, await onB.CountAsync());
    }

    [Fact]
    public async Task Wishlist_200ConcurrentAddsOfDistinctEventsSpreadOverTwoNodes_Keeps200Items()
    {
        // 200 distinct events of the 240 in the catalogue (ids 41 to 240), all added at once, alternating
        // between the nodes: every add is a compare-and-set of the same attribute, so each must retry until
        // it wins and none may be lost.
        const int Adds = 200;
        var ids = Enumerable.Range(41, Adds).ToArray();
        using var onA = pair.A.CreateClient();
        await onA.SignUpAndLogInAsync("cart");
        using var onB = RedisFestaPair.ClientWithSession(pair.B, onA.SessionId!);

        var responses = await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? onA : onB).SendAsync(HttpMethod.Put, $"/wishlist/{id}")));
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        var onNodeA = await onA.WishlistAsync();
        var onNodeB = await onB.WishlistAsync();
        Assert.Equal(Adds, onNodeA.Length);
        Assert.Equal(ids, onNodeA);
        Assert.Equal(ids, onNodeB);
    }

    [Fact]
    public async Task Counter_200ConcurrentIncrementsSpreadOverTwoNodes_EachValueOnce()
    {
        using var onA = pair.A.CreateClient();
        Assert.Equal(1, await onA.CountAsync());
        using var onB = RedisFestaPair.ClientWithSession(pair.B, onA.SessionId!);

        var values = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? onA : onB).CountAsync()));

        Assert.Equal(Enumerable.Range(2, 200).Select(v => (long)v), values.Order());
        Assert.Equal(202, await onB.CountAsync());
    }
}
