using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Peers;

/// <summary>
/// The parts of Festa's HTTP contract that make sense for a peer (the session layer users would pick instead), run on
/// two nodes sharing one Redis. Where a peer fails the contract by design, a derived class asserts what it does and says why.
/// </summary>
public abstract class PeerContractTests<TPair>(TPair pair)
    where TPair : PeerPair
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    protected TPair Pair { get; } = pair;

    [Theory]
    [InlineData("GET", "/healthz")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/events")]
    [InlineData("GET", "/me")]
    [InlineData("POST", "/counter")]
    [InlineData("GET", "/no-such-page")]
    [InlineData("POST", "/login")]
    public async Task AnyRequest_Answered_CarriesXServedBy(string method, string path)
    {
        foreach (var node in new[] { Pair.A, Pair.B })
        {
            using var client = node.CreateClient();
            using var response = await client.SendAsync(new HttpMethod(method), path);
            Assert.True(response.Headers.TryGetValues("X-Served-By", out var values), $"{method} {path} ({(int)response.StatusCode}) has no X-Served-By");
            Assert.Equal(node.Name, Assert.Single(values));
        }
    }

    [Fact]
    public async Task Healthz_StoreAnswers_Returns200WithoutASession()
    {
        using var client = Pair.A.CreateClient();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await FestaClient.ReadJsonAsync(response)).GetProperty("status").GetString());
        Assert.Null(Pair.SessionCookie(client));
    }

    [Fact]
    public async Task Events_Catalogue_IsFestasCatalogue()
    {
        using var client = Pair.A.CreateClient();
        using var response = await client.GetAsync("/events");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await FestaClient.ReadJsonAsync(response)).EnumerateArray().ToArray();
        Assert.Equal(Enumerable.Range(1, 240), events.Select(e => e.GetProperty("id").GetInt32()));
        Assert.Equal(240, events.Select(e => (e.GetProperty("title").GetString(), e.GetProperty("city").GetString())).Distinct().Count());

        // Festa's generated catalogue, spot-checked: the same event n on every implementation.
        Assert.Equal(("Jazz Night", "Lisbon", "2026-10-30"), Describe(events[0]));
        Assert.Equal(("Wine Tasting", "Bologna", "2026-09-14"), Describe(events[239]));
    }

    [Theory]
    [InlineData("/signup", "{", 400)] // why: truncated JSON
    [InlineData("/signup", "not json at all", 400)] // why: not JSON
    [InlineData("/signup", "null", 400)] // why: not an object
    [InlineData("/signup", "[]", 400)] // why: an array, not an object
    [InlineData("/signup", "{}", 400)] // why: both fields missing
    [InlineData("/signup", "{\"username\": 5, \"password\": \"long-enough\"}", 400)] // why: a number is not a user name
    [InlineData("/signup", "{\"username\": \"Alice\", \"password\": \"long-enough\"}", 400)] // why: upper case is not allowed
    [InlineData("/signup", "{\"username\": \"valid_name\", \"password\": \"short\"}", 400)] // why: password under 8 characters
    [InlineData("/login", "{\"username\": [\"alice\"], \"password\": \"alice-festa-2026\"}", 400)] // why: an array is not a user name
    public async Task AccountEndpoint_BadJsonBody_Returns4xxProblem(string path, string body, int expected)
    {
        using var client = Pair.A.CreateClient();
        using var response = await client.PostRawAsync(path, body);
        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await FestaClient.ReadJsonAsync(response)).GetProperty("detail").GetString()!.Length > 0);
    }

    [Fact]
    public async Task SignUp_NotJsonOrOversized_Returns415Or413()
    {
        using var client = Pair.A.CreateClient();
        using var plain = await client.PostRawAsync("/signup", "{\"username\": \"formpost\", \"password\": \"long-enough\"}", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);

        using var big = await client.PostRawAsync("/signup", "{\"username\": \"big\", \"password\": \"" + new string('p', 64 * 1024) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }

    [Fact]
    public async Task SignUpAndLogin_TakenWrongAndDemo_AnswerAsFesta()
    {
        using var client = Pair.A.CreateClient();
        var username = Users.NewName("peer");
        await client.SignUpAsync(username, Users.Password);

        using var again = await client.PostJsonAsync("/signup", new { username, password = "another-password" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var wrong = await client.PostJsonAsync("/login", new { username, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var unknown = await client.PostJsonAsync("/login", new { username = Users.NewName("ghost"), password = Users.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);

        // Seeded by both nodes at once, each once.
        var lines = await File.ReadAllLinesAsync(Pair.UsersFile);
        Assert.Single(lines, line => line.Contains("\"username\":\"alice\"", StringComparison.Ordinal));
        using var onB = Pair.B.CreateClient();
        await onB.LogInAsync("alice", "alice-festa-2026");
    }

    [Fact]
    public async Task Flow_SignInOnAWishlistOnBLogOutOnB_SessionGoneOnA()
    {
        using var onA = Pair.A.CreateClient();
        var username = await onA.SignUpAndLogInAsync("flow");
        var sessionId = Pair.SessionCookie(onA)!;
        Assert.NotNull(sessionId);
        using var onB = Pair.ClientWithSession(Pair.B, sessionId);

        using (var me = await onB.GetAsync("/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            var json = await FestaClient.ReadJsonAsync(me);
            Assert.Equal(username, json.GetProperty("username").GetString());
            Assert.Equal(Pair.B.Name, json.GetProperty("node").GetString());
            Assert.True(json.GetProperty("createdAt").GetDateTimeOffset() <= json.GetProperty("lastAccessedAt").GetDateTimeOffset().AddSeconds(1));
            Assert.DoesNotContain(sessionId, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await onB.WishlistAsync());
        foreach (var (method, path, expected) in new[]
                 {
                     (HttpMethod.Put, "/wishlist/7", HttpStatusCode.OK),
                     (HttpMethod.Put, "/wishlist/3", HttpStatusCode.OK),
                     (HttpMethod.Put, "/wishlist/7", HttpStatusCode.OK), // idempotent
                     (HttpMethod.Delete, "/wishlist/99", HttpStatusCode.OK), // not listed: nothing to do
                     (HttpMethod.Put, "/wishlist/0", HttpStatusCode.NotFound),
                     (HttpMethod.Put, "/wishlist/241", HttpStatusCode.NotFound),
                     (HttpMethod.Put, "/wishlist/abc", HttpStatusCode.NotFound),
                 })
        {
            using var response = await onB.SendAsync(method, path);
            Assert.True(expected == response.StatusCode, $"{method} {path}: expected {expected}, got {response.StatusCode}");
        }

        Assert.Equal(new[] { 3, 7 }, await onA.WishlistAsync());

        using (var logout = await onB.SendAsync(HttpMethod.Post, "/logout"))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var raw = new RawClient(Pair.A.BaseAddress);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/me"), (HttpMethod.Get, "/wishlist"), (HttpMethod.Get, "/sessions"), (HttpMethod.Post, "/logout") })
        {
            using var replay = await raw.SendAsync(method, path, Pair.CookieHeader(sessionId));
            Assert.True(replay.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with the logged-out id: {replay.StatusCode}");
        }
    }

    [Fact]
    public async Task Sessions_SignedIn_Answers501NotKept()
    {
        // Neither ASP.NET Core Session nor express-session keeps an index of a user's sessions.
        using var client = Pair.A.CreateClient();
        await client.SignUpAndLogInAsync("list");
        using var response = await client.GetAsync("/sessions");
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Counter_AnonymousThenOnTheOtherNode_CountsOneTwoThree()
    {
        using var onA = Pair.A.CreateClient();
        Assert.Equal(1, await onA.CountAsync());
        using var onB = Pair.ClientWithSession(Pair.B, Pair.SessionCookie(onA)!);
        Assert.Equal(2, await onB.CountAsync());
        Assert.Equal(3, await onA.CountAsync());
    }

    /// <summary>
    /// The peers write the whole session at the end of a request: concurrent increments of one session read the same
    /// value and the last write wins. Measured, not hoped for: of 50 increments sent at once over two nodes, some are
    /// acknowledged and lost (the bounded retries only guard against a run where the machine happened to serialise them).
    /// </summary>
    [Fact]
    public async Task Counter_ConcurrentIncrementsOfOneSessionOnTwoNodes_LoseSomeByDesign()
    {
        const int Increments = 50;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var onA = Pair.A.CreateClient();
            Assert.Equal(1, await onA.CountAsync());
            using var onB = Pair.ClientWithSession(Pair.B, Pair.SessionCookie(onA)!);

            // One request on B first: ASP.NET Core's DataProtection reads its key ring from Redis synchronously the
            // first time a node unprotects a cookie, and 25 requests blocking on that at once starve a 2-core thread
            // pool into StackExchange.Redis's 5 s timeout and a 500 (seen in CI). The test is about lost increments.
            Assert.Equal(2, await onB.CountAsync());

            long[] values;
            try
            {
                values = await Task.WhenAll(Enumerable.Range(0, Increments).Select(i => (i % 2 == 0 ? onA : onB).CountAsync()));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"{ex.Message}\nA:\n{Pair.A.RecentOutput}\nB:\n{Pair.B.RecentOutput}", ex);
            }

            var final = await onA.CountAsync() - 1;

            Assert.All(values, v => Assert.InRange(v, 3, Increments + 2));
            Assert.InRange(final, 3, Increments + 2);
            if (final < Increments + 2)
            {
                // Lost: acknowledged increments missing from the counter, and answers that repeat a value.
                Assert.True(values.Distinct().Count() < Increments, "a lost increment shows as two requests answered the same value");
                return;
            }
        }

        Assert.Fail($"{Increments} concurrent increments were all kept in 5 attempts: this peer no longer loses overlapping writes.");
    }

    [Fact]
    public async Task UsersFile_LineWrittenAsFestaWritesIt_LogsIn()
    {
        // A user hashed and serialised the way Festa's UserDirectory does (PBKDF2-HMAC-SHA256, web JSON, base64).
        var username = Users.NewName("dotnet");
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Users.Password, salt, 12_345, HashAlgorithmName.SHA256, 32);
        var line = JsonSerializer.Serialize(
            new { username, algorithm = "PBKDF2-HMAC-SHA256", iterations = 12_345, salt, hash, createdAt = DateTimeOffset.UtcNow },
            WebJson);
        await File.AppendAllTextAsync(Pair.UsersFile, line + "\n");

        using var client = Pair.B.CreateClient();
        await client.LogInAsync(username, Users.Password);
    }

    [Fact]
    public async Task UsersFile_UserSignedUpOnThePeer_IsReadableAsFestaReadsIt()
    {
        using var client = Pair.A.CreateClient();
        var username = Users.NewName("peerline");
        await client.SignUpAsync(username, Users.Password);

        var line = (await File.ReadAllLinesAsync(Pair.UsersFile)).Single(l => l.Contains($"\"username\":\"{username}\"", StringComparison.Ordinal));
        using var user = JsonDocument.Parse(line);
        var root = user.RootElement;
        Assert.Equal("PBKDF2-HMAC-SHA256", root.GetProperty("algorithm").GetString());
        var iterations = root.GetProperty("iterations").GetInt32();
        var expected = root.GetProperty("hash").GetBytesFromBase64();
        var derived = Rfc2898DeriveBytes.Pbkdf2(Users.Password, root.GetProperty("salt").GetBytesFromBase64(), iterations, HashAlgorithmName.SHA256, expected.Length);
        Assert.Equal(expected, derived);
        Assert.True(root.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    private static (string?, string?, string?) Describe(JsonElement festaEvent) =>
        (festaEvent.GetProperty("title").GetString(), festaEvent.GetProperty("city").GetString(), festaEvent.GetProperty("date").GetString());
}
