using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>Concurrent requests of one session lose nothing: different attributes both survive, updates are compare-and-set.</summary>
[Collection(FestaCollection.Name)]
public sealed class ConcurrencyTests(FestaCluster cluster)
{
    [Fact]
    public async Task WishlistAndCounter_ConcurrentRequestsOfOneSession_BothSurvive()
    {
        using var client = cluster.A.CreateClient();
        await client.SignUpAndLogInAsync("pair");

        const int Rounds = 20;
        for (var round = 1; round <= Rounds; round++)
        {
            var put = client.SendAsync(HttpMethod.Put, $"/wishlist/{round}");
            var count = client.CountAsync();
            await Task.WhenAll(put, count);
            using var putResponse = await put;
            Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);
        }

        Assert.Equal(Enumerable.Range(1, Rounds), await client.WishlistAsync());
        Assert.Equal(Rounds + 1, await client.CountAsync());
    }

    [Fact]
    public async Task Wishlist_100ConcurrentAddsOfDistinctEvents_KeepsAll100()
    {
        using var client = cluster.A.CreateClient();
        await client.SignUpAndLogInAsync("cart");

        var responses = await Task.WhenAll(Enumerable.Range(1, 100).Select(id => client.SendAsync(HttpMethod.Put, $"/wishlist/{id}")));
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(Enumerable.Range(1, 100), await client.WishlistAsync());
    }

    [Fact]
    public async Task Counter_100ConcurrentIncrements_EachValueOnce()
    {
        using var client = cluster.A.CreateClient();
        Assert.Equal(1, await client.CountAsync()); // starts the anonymous session all requests share

        var values = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.CountAsync()));

        Assert.Equal(Enumerable.Range(2, 100).Select(v => (long)v), values.Order());
        Assert.Equal(102, await client.CountAsync());
    }
}
