using System.Globalization;
using Stickless.Redis.Connections;
using Stickless.Redis.Tests.Infrastructure;
using Stickless.Redis.Tests.Store;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>
/// Two real redis-servers behind a scripted sentinel whose answer the test controls, so that a master can be
/// demoted without Sentinel's client kill: the client's connection stays open and its next write meets
/// <c>READONLY</c>, deterministically.
/// </summary>
[Collection(Stickless.Redis.Tests.Infrastructure.FailoverCollection.Name)]
public sealed class SentinelReadOnlyIntegrationTests : IAsyncLifetime
{
    private RedisServer _a = null!;
    private RedisServer _b = null!;
    private ScriptedRedisServer _sentinel = null!;
    private int _reportedPort;
    private int _asks;

    public async Task InitializeAsync()
    {
        _a = await RedisServer.StartAsync();
        _b = await RedisServer.StartAsync("--replicaof", "127.0.0.1", _a.Port.ToString(CultureInfo.InvariantCulture));
        _reportedPort = _a.Port;
        _sentinel = new ScriptedRedisServer((_, command) => Answer(command));
        Assert.True(await StoreTestData.EventuallyAsync(
            async () => (await _b.CliAsync("INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
    }

    public async Task DisposeAsync()
    {
        await _sentinel.DisposeAsync();
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_MasterDemotedWithoutDisconnecting_ReadOnlyIsRetriedOnceOnTheNewMaster()
    {
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_sentinel.Endpoint},serviceName=mymaster"));
        await client.ExecuteAsync("SET", ["k", "1"]);
        Assert.Equal(_a.Port, client.ConnectedEndpoint?.Port);

        await SwapRolesAsync();
        await client.ExecuteAsync("SET", ["k", "2"]);

        Assert.Equal(_b.Port, client.ConnectedEndpoint?.Port);
        Assert.Equal("2", await _b.CliAsync("GET", "k"));
    }

    [Fact]
    public async Task EvalAsync_MasterDemotedWithoutDisconnecting_ScriptRefusedWithReadOnlyRunsOnTheNewMaster()
    {
        var script = new RedisScript("return redis.call('SET', KEYS[1], ARGV[1])");
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_sentinel.Endpoint},serviceName=mymaster"));
        await client.EvalAsync(script, [StoreTestData.Bytes("k")], [StoreTestData.Bytes("1")]);

        await SwapRolesAsync();
        await client.EvalAsync(script, [StoreTestData.Bytes("k")], [StoreTestData.Bytes("2")]);

        Assert.Equal("2", await _b.CliAsync("GET", "k"));
    }

    [Fact]
    public async Task ConnectAsync_SentinelNamesAReplica_RoleCheckRejectsItUntilTheMasterIsNamed()
    {
        _reportedPort = _b.Port;
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_sentinel.Endpoint},serviceName=mymaster,abortConnect=false,syncTimeout=3000"));
        var asksBefore = Volatile.Read(ref _asks);
        // The replica fails the ROLE check, so the client must ask the sentinel again: wait for that ask.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref _asks) <= asksBefore && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.True(Volatile.Read(ref _asks) > asksBefore, "the client did not ask the sentinel again after ROLE named a replica");
        _reportedPort = _a.Port;

        await client.ExecuteAsync("SET", ["k", "3"]);

        Assert.True(asksBefore >= 1);
        Assert.Equal(_a.Port, client.ConnectedEndpoint?.Port);
        Assert.Equal("3", await _a.CliAsync("GET", "k"));
    }

    [Fact]
    public async Task ExecuteAsync_MasterDemotedAndNoMasterFound_FailsNamingTheMasterAndSentinels()
    {
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_sentinel.Endpoint},serviceName=mymaster,syncTimeout=800"));
        await client.ExecuteAsync("SET", ["k", "1"]);

        // a becomes a replica and the sentinel keeps naming it: no master to retry on.
        await _b.CliAsync("REPLICAOF", "NO", "ONE");
        await _a.CliAsync("REPLICAOF", "127.0.0.1", _b.Port.ToString(CultureInfo.InvariantCulture));
        var ex = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.ExecuteAsync("SET", ["k", "2"]));

        Assert.Contains("'mymaster'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_sentinel.Endpoint, ex.Message, StringComparison.Ordinal);
        Assert.Contains("READONLY", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>b becomes master, a its replica (REPLICAOF keeps a's clients connected), and the sentinel names b.</summary>
    private async Task SwapRolesAsync()
    {
        await _b.CliAsync("REPLICAOF", "NO", "ONE");
        await _a.CliAsync("REPLICAOF", "127.0.0.1", _b.Port.ToString(CultureInfo.InvariantCulture));
        _reportedPort = _b.Port;
    }

    private ScriptedReply? Answer(string[] command)
    {
        if (command is ["SENTINEL", "get-master-addr-by-name", _])
        {
            Interlocked.Increment(ref _asks);
            var port = Volatile.Read(ref _reportedPort).ToString(CultureInfo.InvariantCulture);
            return ScriptedReply.Raw($"*2\r\n$9\r\n127.0.0.1\r\n${port.Length}\r\n{port}\r\n");
        }
        return command switch
        {
            ["SENTINEL", "sentinels", _] => ScriptedReply.Raw("*0\r\n"),
            ["SUBSCRIBE", "+switch-master"] => ScriptedReply.Raw("*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n"),
            _ => null,
        };
    }
}
