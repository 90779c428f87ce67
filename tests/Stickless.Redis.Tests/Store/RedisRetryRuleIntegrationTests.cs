using System.Diagnostics;
using Stickless.Redis.Tests.Infrastructure;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// The retry rule on a real connection: a script written to the socket is never sent again after an ambiguous failure
/// (StackExchange.Redis fails what it wrote when the connection drops, and the store does not resend it); what the client
/// proves it never sent is retried within the call's timeout.
/// </summary>
public sealed class RedisRetryRuleIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>
{
    [Fact]
    public async Task CommitAsync_ConnectionCutBetweenWriteAndReply_FailsAndTheScriptRanExactlyOnce()
    {
        await using var proxy = new CuttingProxy(server.Server.Port);
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = proxy.Endpoint, SweepInterval = TimeSpan.Zero, OperationTimeout = TimeSpan.FromSeconds(10) });
        var id = SessionIds.Create();
        Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(Create(id, attributes: [("cart", "0")]), default)).Status); // scripts loaded: the next commit is one EVALSHA
        var before = await server.CommandStatsAsync();

        var cut = proxy.CutAfterReplyTo("EVALSHA");
        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await store.CommitAsync(Set(id, "cart", "1"), default));
        await cut;
        var after = await server.CommandStatsAsync();

        // The server ran the commit once (its reply was lost), and nothing sent it again.
        Assert.Equal(1, after.GetValueOrDefault("evalsha") - before.GetValueOrDefault("evalsha"));
        Assert.Equal(0, after.GetValueOrDefault("eval") - before.GetValueOrDefault("eval"));
        Assert.Equal(1, after.GetValueOrDefault("hincrby") - before.GetValueOrDefault("hincrby"));
        Assert.Equal("1", await server.CliAsync("HGET", $"stickless:{{{id}}}", "a:cart")); // "outcome unknown" meant: done
        Assert.Contains("Redis failed", ex.Message, StringComparison.Ordinal);

        // The store reconnects by itself and the next call works.
        Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(Set(id, "cart", "2"), default)).Status);
    }

    [Fact]
    public async Task CommitAsync_ServerDownWhenCalledAndBackWithinTheTimeout_RetriedAndRunOnce()
    {
        var redis = await RedisServer.StartAsync();
        try
        {
            await using var store = new RedisSessionStore(new RedisSessionStoreOptions { Configuration = redis.Endpoint, SweepInterval = TimeSpan.Zero, OperationTimeout = TimeSpan.FromSeconds(20) });
            await store.PingAsync(default);
            await redis.StopAsync(); // SIGKILL: the connection drops with nothing in flight
            // Until the client has noticed, a command would still be written to the dead socket, which is an ambiguous
            // failure (rightly not retried); this test is about what happens after.
            Assert.True(await EventuallyAsync(() => Task.FromResult(!store.IsConnected), TimeSpan.FromSeconds(10)), "the client never noticed the dropped connection");

            var id = SessionIds.Create();
            var clock = Stopwatch.StartNew();
            var commit = store.CommitAsync(Create(id, attributes: [("cart", "1")]), default).AsTask();
            await Task.Delay(300);
            Assert.False(commit.IsCompleted, commit.Exception?.ToString()); // waiting: no server, and the store retries what it never sent
            await redis.RestartAsync();

            Assert.Equal(CommitStatus.Committed, (await commit).Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
            var stats = await redis.CliAsync("INFO", "commandstats");
            var creates = stats.Split('\n').Where(l => l.StartsWith("cmdstat_hset:", StringComparison.Ordinal)).Sum(l => long.Parse(l.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, creates); // the script's one HSET on the restarted (empty) server: the create ran exactly once
            Assert.Equal("1", await redis.CliAsync("HGET", $"stickless:{{{id}}}", "a:cart"));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }
}
