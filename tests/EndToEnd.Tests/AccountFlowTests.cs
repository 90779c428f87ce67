using System.Net;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>Sign-up, login, id rotation, the wishlist and logout against a real Festa process.</summary>
[Collection(FestaCollection.Name)]
public sealed class AccountFlowTests(FestaCluster cluster)
{
    [Fact]
    public async Task Login_AnonymousSessionWithData_RotatesIdKeepsDataAndKillsOldId()
    {
        using var client = cluster.A.CreateClient();
        using var raw = new RawClient(cluster.A.BaseAddress);
        var username = Users.NewName("rotate");
        await client.SignUpAsync(username, Users.Password);

        Assert.Equal(1, await client.CountAsync());
        Assert.Equal(2, await client.CountAsync());
        var anonymousId = client.SessionId;
        Assert.NotNull(anonymousId);

        using (var login = await client.PostJsonAsync("/login", new { username, password = Users.Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal(username, (await FestaClient.ReadJsonAsync(login)).GetProperty("username").GetString());
            var rotated = SessionCookie.FromResponse(login);
            Assert.False(string.IsNullOrEmpty(rotated), "login must send a new session cookie");
            Assert.NotEqual(anonymousId, rotated);
        }

        var signedInId = client.SessionId;
        Assert.NotEqual(anonymousId, signedInId);

        // The data moved with the session.
        Assert.Equal(3, await client.CountAsync());

        // The pre-login id is dead: it is neither signed in nor the old session, and is not adopted.
        using (var me = await raw.SendWithIdAsync(HttpMethod.Get, "/me", anonymousId!))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        using (var counter = await raw.SendWithIdAsync(HttpMethod.Post, "/counter", anonymousId!))
        {
            Assert.Equal(HttpStatusCode.OK, counter.StatusCode);
            Assert.Equal(1, (await FestaClient.ReadJsonAsync(counter)).GetProperty("value").GetInt64());
            var fresh = SessionCookie.FromResponse(counter);
            Assert.False(string.IsNullOrEmpty(fresh));
            Assert.NotEqual(anonymousId, fresh);
            Assert.NotEqual(signedInId, fresh);
        }
    }

    [Fact]
    public async Task Flow_SignUpLogInWishlistLogOut_BehavesAsContracted()
    {
        using var client = cluster.A.CreateClient();
        using var raw = new RawClient(cluster.A.BaseAddress);
        var username = await client.SignUpAndLogInAsync("flow");
        var sessionId = client.SessionId!;

        using (var me = await client.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            var body = await me.Content.ReadAsStringAsync();
            Assert.DoesNotContain(sessionId, body, StringComparison.Ordinal);
            var json = await FestaClient.ReadJsonAsync(me);
            Assert.Equal(username, json.GetProperty("username").GetString());
            Assert.Equal(cluster.A.Name, json.GetProperty("node").GetString());
            Assert.True(json.GetProperty("createdAt").GetDateTimeOffset() <= json.GetProperty("lastAccessedAt").GetDateTimeOffset().AddSeconds(1));
        }

        Assert.Empty(await client.WishlistAsync());
        foreach (var (method, path, expected) in new[]
                 {
                     (HttpMethod.Put, "/wishlist/7", HttpStatusCode.OK),
                     (HttpMethod.Put, "/wishlist/3", HttpStatusCode.OK),
                     (HttpMethod.Put, "/wishlist/7", HttpStatusCode.OK), // idempotent
                     (HttpMethod.Put, "/wishlist/240", HttpStatusCode.OK),
                     (HttpMethod.Delete, "/wishlist/240", HttpStatusCode.OK),
                     (HttpMethod.Delete, "/wishlist/99", HttpStatusCode.OK), // not listed: nothing to do
                     (HttpMethod.Put, "/wishlist/0", HttpStatusCode.NotFound),
                     (HttpMethod.Put, "/wishlist/241", HttpStatusCode.NotFound),
                     (HttpMethod.Put, "/wishlist/abc", HttpStatusCode.NotFound),
                     (HttpMethod.Delete, "/wishlist/-1", HttpStatusCode.NotFound),
                 })
        {
            using var response = await client.SendAsync(method, path);
            Assert.True(expected == response.StatusCode, $"{method} {path}: expected {expected}, got {response.StatusCode}");
        }

        Assert.Equal(new[] { 3, 7 }, await client.WishlistAsync());

        using (var logout = await client.SendAsync(HttpMethod.Post, "/logout"))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        // The session is gone on the server: replaying its id is anonymous, everywhere it is checked.
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/me"), (HttpMethod.Get, "/wishlist"), (HttpMethod.Get, "/sessions"), (HttpMethod.Post, "/logout") })
        {
            using var replay = await raw.SendWithIdAsync(method, path, sessionId);
            Assert.True(replay.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with the logged-out id: {replay.StatusCode}");
        }

        using (var me = await client.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }
    }

    [Fact]
    public async Task Login_WrongPasswordOrUnknownUser_Returns401()
    {
        using var client = cluster.A.CreateClient();
        var username = Users.NewName("badpw");
        await client.SignUpAsync(username, Users.Password);

        using var wrong = await client.PostJsonAsync("/login", new { username, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var unknown = await client.PostJsonAsync("/login", new { username = Users.NewName("ghost"), password = Users.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);

        using var me = await client.GetAsync("/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task SignUp_TakenName_Returns409()
    {
        using var client = cluster.A.CreateClient();
        var username = Users.NewName("dup");
        await client.SignUpAsync(username, Users.Password);

        using var again = await client.PostJsonAsync("/signup", new { username, password = "another-password" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var seeded = await client.PostJsonAsync("/signup", new { username = "alice", password = Users.Password });
        Assert.Equal(HttpStatusCode.Conflict, seeded.StatusCode);
    }

    [Fact]
    public async Task SignUp_OnOneNode_LogsInOnTheOther()
    {
        using var first = cluster.A.CreateClient();
        using var second = cluster.B.CreateClient();
        var username = Users.NewName("shared");
        await first.SignUpAsync(username, Users.Password);

        await second.LogInAsync(username, Users.Password);
        using var me = await second.GetAsync("/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(cluster.B.Name, (await FestaClient.ReadJsonAsync(me)).GetProperty("node").GetString());
    }

    [Fact]
    public async Task SignUp_SameNameOnTwoNodesAtOnce_ExactlyOneWins()
    {
        using var first = cluster.A.CreateClient();
        using var second = cluster.B.CreateClient();
        for (var round = 0; round < 3; round++)
        {
            var username = Users.NewName("race");
            var answers = await Task.WhenAll(
                first.PostJsonAsync("/signup", new { username, password = Users.Password }),
                second.PostJsonAsync("/signup", new { username, password = "other-password" }));
            Assert.Equal(
                new[] { HttpStatusCode.Created, HttpStatusCode.Conflict },
                answers.Select(a => a.StatusCode).Order());
            foreach (var answer in answers)
            {
                answer.Dispose();
            }

            var lines = await File.ReadAllLinesAsync(cluster.UsersFile);
            Assert.Single(lines, line => line.Contains($"\"username\":\"{username}\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task DemoUsers_SeededByTwoNodesAtOnce_ExistOnceAndLogIn()
    {
        var lines = await File.ReadAllLinesAsync(cluster.UsersFile);
        foreach (var demo in new[] { "alice", "bob", "carol" })
        {
            Assert.Single(lines, line => line.Contains($"\"username\":\"{demo}\"", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, line => line.Contains("festa-2026", StringComparison.Ordinal)); // hashed, never plain

        using var client = cluster.B.CreateClient();
        await client.LogInAsync("alice", "alice-festa-2026");
        using var me = await client.GetAsync("/me");
        Assert.Equal("alice", (await FestaClient.ReadJsonAsync(me)).GetProperty("username").GetString());
    }
}
