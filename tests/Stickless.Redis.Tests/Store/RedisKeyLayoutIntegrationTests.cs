using System.Globalization;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// What only the Redis store has: its key layout (revision 1, Scripts/README.md), read back with redis-cli, what it does
/// with hashes it did not write, and the limits of Lua it works around. The rules every store keeps are the conformance
/// suites' (Conformance/).
/// </summary>
public sealed class RedisKeyLayoutIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>, IAsyncLifetime
{
    private RedisSessionStore _store = null!;

    public Task InitializeAsync()
    {
        _store = server.CreateStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task CommitAsync_NewSession_OneHashWithTheLayoutFieldsExpiringAtTheIdleTimeout()
    {
        var id = SessionIds.Create();

        var result = await _store.CommitAsync(Create(id, principal: "alice", attributes: [("cart", "[1]")]), default);

        var key = $"stickless:{{{id}}}";
        Assert.Equal("1", await server.CliAsync("HGET", key, "rev"));
        Assert.Equal("[1]", await server.CliAsync("HGET", key, "a:cart"));
        Assert.Equal(result.NewVersions["cart"].ToString(CultureInfo.InvariantCulture), await server.CliAsync("HGET", key, "v:cart"));
        Assert.Equal("alice", await server.CliAsync("HGET", key, "principal"));
        Assert.Equal("1200000", await server.CliAsync("HGET", key, "idle"));
        Assert.InRange(long.Parse(await server.CliAsync("PTTL", key), CultureInfo.InvariantCulture), 19 * 60_000, 20 * 60_000);
        var score = long.Parse(await server.CliAsync("ZSCORE", "stickless:expiry", $"{id}:alice"), CultureInfo.InvariantCulture);
        Assert.InRange(score, DateTimeOffset.UtcNow.AddMinutes(19).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(21).ToUnixTimeMilliseconds());
        Assert.Equal("1", await server.CliAsync("SISMEMBER", "stickless:user:{alice}", id));
        Assert.InRange(long.Parse(await server.CliAsync("PTTL", "stickless:user:{alice}"), CultureInfo.InvariantCulture), 7 * 3_600_000, 8 * 3_600_000);
    }

    [Fact]
    public async Task LoadAsync_TouchDue_MovesTheHashTtlAndTheExpiryIndexScore()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);
        await server.CliAsync("PEXPIRE", $"stickless:{{{id}}}", "60000");
        await server.CliAsync("ZADD", "stickless:expiry", "1", id);

        Assert.True((await _store.LoadAsync(id, AlwaysTouch, default))!.Touched);

        Assert.True(long.Parse(await server.CliAsync("PTTL", $"stickless:{{{id}}}"), CultureInfo.InvariantCulture) > 60_000);
        Assert.True(long.Parse(await server.CliAsync("ZSCORE", "stickless:expiry", id), CultureInfo.InvariantCulture) > 1);
    }

    [Fact]
    public async Task CommitAsync_RotationWithGrace_OldKeyIsAnAliasNamingTheNewIdForTheGraceOnly()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "bob", attributes: [("cart", "[7]")]), default);

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, RotationGrace = TimeSpan.FromSeconds(30) }, default);

        Assert.Equal(newId, await server.CliAsync("HGET", $"stickless:{{{id}}}", "moved"));
        Assert.Equal("1", await server.CliAsync("HLEN", $"stickless:{{{id}}}"));
        Assert.InRange(long.Parse(await server.CliAsync("PTTL", $"stickless:{{{id}}}"), CultureInfo.InvariantCulture), 1, 30_000);
        Assert.Equal("[7]", await server.CliAsync("HGET", $"stickless:{{{newId}}}", "a:cart"));
        Assert.Equal(newId, await server.CliAsync("SMEMBERS", "stickless:user:{bob}"));
    }

    [Fact]
    public async Task FindByPrincipalAsync_IndexHoldsDeadAndReboundIds_PrunesThem()
    {
        var live = SessionIds.Create();
        var dead = SessionIds.Create();
        var rebound = SessionIds.Create();
        await _store.CommitAsync(Create(live, principal: "frank"), default);
        await _store.CommitAsync(Create(dead, principal: "frank"), default);
        await _store.CommitAsync(Create(rebound, principal: "gina"), default);
        await server.CliAsync("DEL", $"stickless:{{{dead}}}"); // as if Redis expired it before the sweeper ran
        await server.CliAsync("SADD", "stickless:user:{frank}", rebound, "not-an-id"); // stale and foreign entries

        var sessions = await _store.FindByPrincipalAsync("frank", default);

        Assert.Equal([live], sessions.Select(s => s.Id));
        Assert.Equal(live, await server.CliAsync("SMEMBERS", "stickless:user:{frank}"));
    }

    [Fact]
    public async Task CommitAsync_SignOutOnANodeThatNeverLoadedTheSession_NamesTheRightIndexOnTheSecondTry()
    {
        // The commit declares the per-user index it touches; this node has never seen the session's principal, so its
        // first try names none, the script writes nothing and names the principal, and the second try does it.
        var id = SessionIds.Create();
        await using (var other = server.CreateStore())
        {
            await other.CommitAsync(Create(id, principal: "hank"), default);
        }

        var before = await server.CommandStatsAsync();
        var result = await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = null }, default);
        var after = await server.CommandStatsAsync();

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(2, after.GetValueOrDefault("evalsha") + after.GetValueOrDefault("eval") - before.GetValueOrDefault("evalsha") - before.GetValueOrDefault("eval"));
        Assert.Equal("0", await server.CliAsync("SISMEMBER", "stickless:user:{hank}", id));
        Assert.Equal("", await server.CliAsync("HGET", $"stickless:{{{id}}}", "principal"));
    }

    [Fact]
    public async Task CommitAsync_ThousandsOfCompareAndSetAttributes_ChunkedPastLuasUnpackLimit()
    {
        // Lua's unpack spreads at most ~8000 values; one HMGET of 3000 versions and one HSET of 12000 values would fail.
        const int Count = 3000;
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);
        var sets = Enumerable.Range(0, Count).ToDictionary(i => $"k{i}", i => AttributeChange.Set(Bytes($"v{i}"), 0));

        var created = await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, Attributes = sets }, default);
        var loaded = await _store.LoadAsync(id, NoTouch, default);
        var removed = await _store.CommitAsync(new SessionChangeSet
        {
            SessionId = id,
            Now = DateTimeOffset.UtcNow,
            Attributes = Enumerable.Range(0, Count).ToDictionary(i => $"k{i}", i => AttributeChange.Remove(created.NewVersions[$"k{i}"])),
        }, default);

        Assert.Equal(CommitStatus.Committed, created.Status);
        Assert.Equal(Count, loaded!.Attributes.Count);
        Assert.Equal("v2999", Text(loaded.Attributes["k2999"]));
        Assert.Equal(CommitStatus.Committed, removed.Status);
        Assert.Empty((await _store.LoadAsync(id, NoTouch, default))!.Attributes);
    }

    [Theory]
    [InlineData("rev", "2", "a later layout revision: never misread")]
    [InlineData("created", "yesterday", "a time that is not a number")]
    [InlineData("idle", "-5", "a negative idle timeout")]
    [InlineData("abs", "999999999999999999", "a time past the year 9999")]
    public async Task LoadAsync_HashTheStoreDidNotWrite_UnavailableNeverASession(string field, string value, string why)
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);
        await server.CliAsync("HSET", $"stickless:{{{id}}}", field, value);

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await _store.LoadAsync(id, NoTouch, default));

        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(why);
    }

    [Fact]
    public async Task LoadAsync_ServerForgotTheScripts_LoadsThemAgainAndAnswers()
    {
        // The store sends EVALSHA; a server without the script (restarted, flushed, a new master) answers NOSCRIPT, which
        // means it ran nothing: the store loads the script there and sends the call again.
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, attributes: [("a", "1")]), default);
        await server.CliAsync("SCRIPT", "FLUSH");

        Assert.Equal("1", Text((await _store.LoadAsync(id, NoTouch, default))!.Attributes["a"]));
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Set(id, "a", "2"), default)).Status);
    }

    [Fact]
    public async Task LoadAsync_CancelledByTheCaller_ThrowsOperationCanceledNotUnavailable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.LoadAsync(SessionIds.Create(), NoTouch, cancelled.Token));
    }
}
