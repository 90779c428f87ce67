using System.Globalization;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Cluster;

/// <summary>The store's behaviour suite on a real 3-master cluster: each session is one slot, indexes in others.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterStoreIntegrationTests(RedisClusterServers cluster) : IAsyncLifetime
{
    private RedisSessionStore _store = null!;

    public Task InitializeAsync()
    {
        _store = cluster.CreateStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task CommitAsync_NewSessions_LoadOnEveryShard()
    {
        var ids = Enumerable.Range(0, 30).Select(_ => SessionIds.Create()).ToArray();
        foreach (var id in ids)
        {
            Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Create(id, principal: "alice", attributes: [("cart", "[1]")]), default)).Status);
        }

        foreach (var id in ids)
        {
            var record = await _store.LoadAsync(id, NoTouch, default);
            Assert.Equal("[1]", Text(record!.Attributes["cart"]));
            Assert.Equal("alice", record.Principal);
        }

        var masters = await Task.WhenAll(ids.Select(id => cluster.MasterPortOfAsync($"stickless:{{{id}}}")));
        Assert.Equal(3, masters.Distinct().Count());
        var ttl = long.Parse(await cluster.CliAsync("PTTL", $"stickless:{{{ids[0]}}}"), CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 19 * 60_000, 20 * 60_000);
    }

    [Fact]
    public async Task LoadAsync_TouchDue_MovesTheHashTtlInOneRoundTripAndLeavesTheBucketToTheSweeper()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id), default);
        await cluster.CliAsync("PEXPIRE", $"stickless:{{{id}}}", "60000");
        var bucket = await cluster.BucketOfAsync(id);
        var scoreBefore = await cluster.CliAsync("ZSCORE", bucket, id);

        var record = await _store.LoadAsync(id, AlwaysTouch, default);

        Assert.True(record!.Touched);
        Assert.True(long.Parse(await cluster.CliAsync("PTTL", $"stickless:{{{id}}}"), CultureInfo.InvariantCulture) > 60_000);
        // The bucket is in another slot: moving it would be a second round trip. It lags; the sweeper re-scores a due
        // session it finds alive (RedisClusterEventsIntegrationTests.Sweeper_DueButAlive_RescoredNotReported).
        Assert.Equal(scoreBefore, await cluster.CliAsync("ZSCORE", bucket, id));
    }

    [Fact]
    public async Task CommitAsync_RotationWithoutGrace_MovesDataAcrossSlotsAndKillsOldId()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "dave", attributes: [("cart", "[7]")]), default);

        var result = await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, SetsPrincipal = true, Principal = "dave", Attributes = new Dictionary<string, AttributeChange> { ["signed"] = AttributeChange.Set(Bytes("yes")) } }, default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await _store.LoadAsync(id, NoTouch, default));
        Assert.Equal("0", await cluster.CliAsync("EXISTS", $"stickless:{{{id}}}"));
        var moved = await _store.LoadAsync(newId, NoTouch, default);
        Assert.Equal("[7]", Text(moved!.Attributes["cart"]));
        Assert.Equal("yes", Text(moved.Attributes["signed"]));
        Assert.Equal(result.NewVersions["signed"], moved.Attributes["signed"].Version);
        Assert.Equal(CommitStatus.NotFound, (await _store.CommitAsync(Set(id, "x", "1"), default)).Status);
        Assert.Equal([newId], (await _store.FindByPrincipalAsync("dave", default)).Select(s => s.Id));
        Assert.InRange(long.Parse(await cluster.CliAsync("PTTL", $"stickless:{{{newId}}}"), CultureInfo.InvariantCulture), 19 * 60_000, 20 * 60_000);
        Assert.Equal("", await cluster.CliAsync("ZSCORE", await cluster.BucketOfAsync(id), $"{id}:dave"));
        Assert.NotEqual("", await cluster.CliAsync("ZSCORE", await cluster.BucketOfAsync(newId), $"{newId}:dave"));
    }

    [Fact]
    public async Task CommitAsync_RotationWithGrace_OldIdFollowsUntilGraceEnds()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, attributes: [("cart", "[7]")]), default);

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, RotationGrace = TimeSpan.FromMilliseconds(800) }, default);

        var viaOld = await _store.LoadAsync(id, NoTouch, default);
        Assert.True(viaOld!.IsGraceAlias);
        Assert.Equal(newId, viaOld.Id);
        Assert.Equal(CommitStatus.Committed, (await _store.CommitAsync(Set(id, "late", "1"), default)).Status);
        Assert.True((await _store.LoadAsync(newId, NoTouch, default))!.Attributes.ContainsKey("late"));
        Assert.True(await EventuallyAsync(async () => await _store.LoadAsync(id, NoTouch, default) is null, TimeSpan.FromSeconds(5)));
        Assert.NotNull(await _store.LoadAsync(newId, NoTouch, default));
    }

    [Fact]
    public async Task FrozenSession_SignInRotationUnderWay_OldIdDeadForReadsAndWrites()
    {
        // Step 1 of a sign-in rotation (grace 0) done by hand, as if the node that started it had died right after:
        // from that moment the old id must neither read as a session nor take a write.
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, attributes: [("cart", "[7]")]), default);
        await cluster.CliAsync("HSET", $"stickless:{{{id}}}", "frozen", newId, "fgrace", "0");

        Assert.Null(await _store.LoadAsync(id, AlwaysTouch, default));
        Assert.Equal(CommitStatus.NotFound, (await _store.CommitAsync(Set(id, "x", "1"), default)).Status);
        Assert.Equal("[7]", await cluster.CliAsync("HGET", $"stickless:{{{id}}}", "a:cart")); // nothing written
    }

    [Fact]
    public async Task DeleteAsync_RotationUnderWay_LeavesTombstoneSoTheRotationCannotCreateTheNewId()
    {
        var id = SessionIds.Create();
        var newId = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "gus", attributes: [("cart", "[7]")]), default);
        await cluster.CliAsync("HSET", $"stickless:{{{id}}}", "frozen", newId, "fgrace", "0");

        Assert.False(await _store.DeleteAsync(id, default)); // the frozen hash goes; the new id does not exist yet

        Assert.Equal("0", await cluster.CliAsync("EXISTS", $"stickless:{{{id}}}"));
        Assert.Equal("1", await cluster.CliAsync("HGET", $"stickless:{{{newId}}}", "dead"));
        // Step 2 arriving now (late) finds the tombstone and creates nothing.
        var adopt = await cluster.CliAsync("EVAL", RedisSessionScripts.ClusterAdopt.Text, "1", $"stickless:{{{newId}}}", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "rev", "1", "principal", "gus");
        Assert.Equal("deleted", adopt);
        Assert.Null(await _store.LoadAsync(newId, NoTouch, default));
        Assert.Equal(CommitStatus.NotFound, (await _store.CommitAsync(Set(newId, "x", "1"), default)).Status);
    }

    [Fact]
    public async Task CommitAsync_SignInRotationsWhileAnotherNodeReadsTheOldId_OldIdNeverReadsSignedIn()
    {
        await using var reader = cluster.CreateStore();
        var signedInReads = 0;
        for (var round = 0; round < 40; round++)
        {
            var id = SessionIds.Create();
            var newId = SessionIds.Create();
            await _store.CommitAsync(Create(id, attributes: [("cart", "[1]")]), default);
            using var stop = new CancellationTokenSource();
            var reads = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if ((await reader.LoadAsync(id, NoTouch, default))?.Principal is not null)
                    {
                        Interlocked.Increment(ref signedInReads);
                    }
                }
            });

            var result = await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = newId, SetsPrincipal = true, Principal = "olga" }, default);
            await stop.CancelAsync();
            await reads;
            Assert.Equal(CommitStatus.Committed, result.Status);
            Assert.Equal("olga", (await reader.LoadAsync(newId, NoTouch, default))!.Principal);
        }

        Assert.Equal(0, signedInReads);
    }

    [Fact]
    public async Task DeleteAsync_Session_GoneAndIndexesCleared()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "erin"), default);
        Assert.NotEqual("", await cluster.CliAsync("ZSCORE", await cluster.BucketOfAsync(id), $"{id}:erin"));

        Assert.True(await _store.DeleteAsync(id, default));

        Assert.False(await _store.DeleteAsync(id, default));
        Assert.Null(await _store.LoadAsync(id, NoTouch, default));
        Assert.Equal("0", await cluster.CliAsync("SISMEMBER", "stickless:user:{erin}", id));
        Assert.Equal("", await cluster.CliAsync("ZSCORE", await cluster.BucketOfAsync(id), $"{id}:erin"));
    }

    [Fact]
    public async Task FindByPrincipalAsync_SessionsOnEveryShard_ListedAndDeadPruned()
    {
        var live = Enumerable.Range(0, 12).Select(_ => SessionIds.Create()).ToArray();
        var dead = SessionIds.Create();
        foreach (var id in live.Append(dead))
        {
            await _store.CommitAsync(Create(id, principal: "frank"), default);
        }

        await cluster.CliAsync("DEL", $"stickless:{{{dead}}}"); // as if Redis expired it

        var sessions = await _store.FindByPrincipalAsync("frank", default);

        Assert.Equal(live.Order(StringComparer.Ordinal), sessions.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal("0", await cluster.CliAsync("SISMEMBER", "stickless:user:{frank}", dead));
    }

    [Fact]
    public async Task CommitAsync_PrincipalChangedAndCleared_IndexFollows()
    {
        var id = SessionIds.Create();
        await _store.CommitAsync(Create(id, principal: "hank"), default);

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = "ivy" }, default);
        Assert.Empty(await _store.FindByPrincipalAsync("hank", default));
        Assert.Single(await _store.FindByPrincipalAsync("ivy", default));
        Assert.NotEqual("", await cluster.CliAsync("ZSCORE", await cluster.BucketOfAsync(id), $"{id}:ivy"));
        Assert.Equal("", await cluster.CliAsync("ZSCORE", await cluster.BucketOfAsync(id), $"{id}:hank"));

        await _store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = null }, default);
        Assert.Empty(await _store.FindByPrincipalAsync("ivy", default));
        Assert.Null((await _store.LoadAsync(id, NoTouch, default))!.Principal);
    }

}
