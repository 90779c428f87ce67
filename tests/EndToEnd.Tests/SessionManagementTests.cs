using System.Net;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>GET /sessions, DELETE /sessions/{handle} and POST /sessions/revoke-others.</summary>
[Collection(FestaCollection.Name)]
public sealed class SessionManagementTests(FestaCluster cluster)
{
    [Fact]
    public async Task Sessions_TwoLogins_ListsBothByHandleAndRevokesTheOther()
    {
        using var laptop = cluster.A.CreateClient();
        using var phone = cluster.A.CreateClient();
        var username = await laptop.SignUpAndLogInAsync("devices");
        await phone.LogInAsync(username, Users.Password);

        var sessions = await ListAsync(laptop);
        Assert.Equal(2, sessions.Length);
        Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        foreach (var session in sessions)
        {
            var handle = session.GetProperty("handle").GetString()!;
            Assert.NotEqual(laptop.SessionId, handle);
            Assert.NotEqual(phone.SessionId, handle);
            Assert.True(session.GetProperty("expiresAt").GetDateTimeOffset() > session.GetProperty("lastAccessedAt").GetDateTimeOffset());
        }

        var body = await (await laptop.GetAsync("/sessions")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(laptop.SessionId!, body, StringComparison.Ordinal);
        Assert.DoesNotContain(phone.SessionId!, body, StringComparison.Ordinal);

        var other = sessions.Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("handle").GetString()!;
        using (var revoke = await laptop.SendAsync(HttpMethod.Delete, $"/sessions/{other}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var phoneMe = await phone.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, phoneMe.StatusCode);
        }

        using (var again = await laptop.SendAsync(HttpMethod.Delete, $"/sessions/{other}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        Assert.Single(await ListAsync(laptop));
    }

    [Fact]
    public async Task RevokeOthers_ThreeLogins_RevokesTwoKeepsCurrent()
    {
        using var main = cluster.A.CreateClient();
        using var second = cluster.A.CreateClient();
        using var third = cluster.A.CreateClient();
        var username = await main.SignUpAndLogInAsync("others");
        await second.LogInAsync(username, Users.Password);
        await third.LogInAsync(username, Users.Password);

        using (var response = await main.SendAsync(HttpMethod.Post, "/sessions/revoke-others"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, (await FestaClient.ReadJsonAsync(response)).GetProperty("revoked").GetInt32());
        }

        foreach (var revoked in new[] { second, third })
        {
            using var me = await revoked.GetAsync("/me");
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        using var mine = await main.GetAsync("/me");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task Revoke_AnotherUsersHandle_Returns404AndKeepsTheirSession()
    {
        using var victim = cluster.A.CreateClient();
        using var attacker = cluster.A.CreateClient();
        await victim.SignUpAndLogInAsync("victim");
        await attacker.SignUpAndLogInAsync("attacker");
        var victimHandle = (await ListAsync(victim)).Single().GetProperty("handle").GetString()!;

        using (var revoke = await attacker.SendAsync(HttpMethod.Delete, $"/sessions/{victimHandle}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        }

        using var me = await victim.GetAsync("/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/sessions")]
    [InlineData("POST", "/sessions/revoke-others")]
    [InlineData("DELETE", "/sessions/AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("GET", "/wishlist")]
    [InlineData("PUT", "/wishlist/1")]
    [InlineData("DELETE", "/wishlist/1")]
    [InlineData("POST", "/logout")]
    [InlineData("GET", "/me")]
    public async Task SignedInEndpoint_Anonymous_Returns401(string method, string path)
    {
        using var client = cluster.A.CreateClient();
        using var response = await client.SendAsync(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonElement[]> ListAsync(FestaClient client)
    {
        using var response = await client.GetAsync("/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await FestaClient.ReadJsonAsync(response)).EnumerateArray()];
    }
}
