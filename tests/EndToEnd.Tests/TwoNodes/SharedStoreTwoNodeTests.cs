using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.TwoNodes;

/// <summary>
/// Festa's contract on two nodes sharing one store, whichever node a request reaches: the same tests for every store that
/// shares sessions (Redis, memcached, peer replication), derived once per store.
/// </summary>
public abstract class SharedStoreTwoNodeTests<TPair>(TPair pair)
    where TPair : IFestaPair
{
    [Fact]
    public async Task LogIn_OnNodeA_SignedInOnNodeB_LogOutOnB_GoneOnA()
    {
        using var onA = pair.A.CreateClient();
        var username = await onA.SignUpAndLogInAsync("pair");
        using var onB = pair.B.CreateClientWithSession(onA.SessionId!);

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
        using var onB = pair.B.CreateClientWithSession(onA.SessionId!);

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
        // 200 distinct events of the 240 in the catalogue (ids 41 to 240), all added at once, alternating between the
        // nodes: none may be lost, whatever the store does with concurrent changes of one attribute.
        const int Adds = 200;
        var ids = Enumerable.Range(41, Adds).ToArray();
        using var onA = pair.A.CreateClient();
        await onA.SignUpAndLogInAsync("cart");
        using var onB = pair.B.CreateClientWithSession(onA.SessionId!);

        var responses = await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? onA : onB).SendAsync(HttpMethod.Put, $"/wishlist/{id}")));
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(ids, await onA.WishlistAsync());
        Assert.Equal(ids, await onB.WishlistAsync());
    }

    [Fact]
    public async Task Counter_200ConcurrentIncrementsSpreadOverTwoNodes_EachValueOnce()
    {
        using var onA = pair.A.CreateClient();
        Assert.Equal(1, await onA.CountAsync());
        using var onB = pair.B.CreateClientWithSession(onA.SessionId!);

        var values = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? onA : onB).CountAsync()));

        Assert.Equal(Enumerable.Range(2, 200).Select(v => (long)v), values.Order());
        Assert.Equal(202, await onB.CountAsync());
    }

    [Fact]
    public async Task LogOut_RacingWritesOnBothNodes_NeverResurrects()
    {
        for (var round = 0; round < 5; round++)
        {
            using var onA = pair.A.CreateClient();
            await onA.SignUpAndLogInAsync("race");
            var id = onA.SessionId!;
            using var onB = pair.B.CreateClientWithSession(id);
            using var logoutClient = pair.B.CreateClientWithSession(id);

            // Writes on both nodes, and the logout in the middle of them.
            var writes = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? onA : onB).SendAsync(HttpMethod.Put, $"/wishlist/{(i % 200) + 1}")).ToList();
            var logout = logoutClient.SendAsync(HttpMethod.Post, "/logout");
            var all = await Task.WhenAll(writes.Append(logout));
            Assert.Equal(HttpStatusCode.NoContent, all[^1].StatusCode);
            foreach (var response in all)
            {
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.Unauthorized, $"unexpected {response.StatusCode}");
                response.Dispose();
            }

            // The logged-out id is dead on both nodes, and stays dead whatever is sent with it.
            foreach (var node in new[] { pair.A, pair.B })
            {
                using var late = node.CreateClientWithSession(id);
                using var put = await late.SendAsync(HttpMethod.Put, "/wishlist/7");
                Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
                using var me = await late.GetAsync("/me");
                Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
            }
        }
    }
}

/// <summary>Two Festa nodes sharing one Redis.</summary>
public sealed class RedisTwoNodeTests(RedisFestaPair pair) : SharedStoreTwoNodeTests<RedisFestaPair>(pair), IClassFixture<RedisFestaPair>;

/// <summary>Two Festa nodes on a ring of three memcached servers with backups.</summary>
public sealed class MemcachedTwoNodeTests(MemcachedFestaPair pair) : SharedStoreTwoNodeTests<MemcachedFestaPair>(pair), IClassFixture<MemcachedFestaPair>;

/// <summary>Two Festa nodes replicating every session to each other.</summary>
public sealed class AllToAllTwoNodeTests(AllToAllFestaPair pair) : SharedStoreTwoNodeTests<AllToAllFestaPair>(pair), IClassFixture<AllToAllFestaPair>;

/// <summary>Two Festa nodes as owner and backup of each other's sessions.</summary>
public sealed class PrimaryBackupTwoNodeTests(PrimaryBackupFestaPair pair) : SharedStoreTwoNodeTests<PrimaryBackupFestaPair>(pair), IClassFixture<PrimaryBackupFestaPair>;
