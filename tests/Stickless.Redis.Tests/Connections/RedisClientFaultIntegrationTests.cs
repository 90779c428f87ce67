using System.Diagnostics;
using Stickless.Redis.Connections;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Connections;

/// <summary>A real redis-server that is killed, restarted and frozen under the client. Each test has its own server.</summary>
public sealed class RedisClientFaultIntegrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ExecuteAsync_ServerKilledAndRestartedOnSamePort_ReconnectsAndWorks()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=3000,connectTimeout=2000"));
        await client.ExecuteAsync("SET", ["k", "before"]);

        await server.StopAsync();
        var whileDown = await Record.ExceptionAsync(async () => await client.ExecuteAsync("GET", ["k"]));
        await server.RestartAsync();
        var value = await RetryUntilAsync(async () => (await client.ExecuteAsync("ECHO", ["back"])).GetString());

        Assert.True(whileDown is RedisConnectionException, $"expected RedisConnectionException, got {whileDown}");
        Assert.Equal("back", value);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ExecuteAsync_ServerPaused_CallersTimeOutWithinBoundThenRecoverAfterResume()
    {
        await using var server = await RedisServer.StartAsync();
        var timeout = TimeSpan.FromMilliseconds(1000);
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=1000,connectTimeout=1000"));
        await client.ExecuteAsync("PING");

        server.Pause();
        var watch = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, 20).Select(i => Record.ExceptionAsync(async () => await client.ExecuteAsync("INCR", ["paused"]))).ToArray();
        var errors = await Task.WhenAll(calls).WaitAsync(Bound);
        var elapsed = watch.Elapsed;
        server.Resume();

        Assert.All(errors, e => Assert.True(e is RedisTimeoutException or RedisConnectionException, $"got {e}"));
        Assert.Contains(errors, e => e is RedisTimeoutException);
        Assert.InRange(elapsed, timeout * 0.9, timeout + TimeSpan.FromSeconds(3));
        Assert.Equal("PONG", await RetryUntilAsync(async () => (await client.ExecuteAsync("PING")).GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_ServerPaused_ConnectionIsTornDownAndLateRepliesNeverReachOtherCallers()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=1000,connectTimeout=1000"));
        await client.ExecuteAsync("SET", ["late", "stale"]);

        server.Pause();
        await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.ExecuteAsync("GET", ["late"]));
        server.Resume();

        // Whatever the paused server answers late belongs to the timed-out GET: the next callers see their own.
        var echoes = await RetryUntilAsync(async () =>
            await Task.WhenAll(Enumerable.Range(0, 50).Select(async i => (i, (await client.ExecuteAsync("ECHO", [$"e{i}"])).GetString()))));
        Assert.All(echoes, pair => Assert.Equal($"e{pair.i}", pair.Item2));
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_FailsWithConnectionException()
    {
        var port = FreePort();

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
            await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"127.0.0.1:{port},connectTimeout=1000")));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_AbortConnectFalseAndServerStartsLater_ConnectsInBackground()
    {
        await using var server = await RedisServer.StartAsync();
        await server.StopAsync();
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},abortConnect=false,syncTimeout=300"));

        var whileDown = await Record.ExceptionAsync(async () => await client.ExecuteAsync("PING"));
        await server.RestartAsync();
        var pong = await RetryUntilAsync(async () => (await client.ExecuteAsync("PING")).GetString());

        Assert.IsType<RedisConnectionException>(whileDown);
        Assert.Contains("No connection to Redis within 300 ms", whileDown.Message, StringComparison.Ordinal);
        Assert.Equal("PONG", pong);
    }

    [Fact]
    public async Task SubscribeAsync_ServerRestarted_ResubscribesAndDeliversAgain()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=3000,connectTimeout=2000"));
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.SubscribeAsync("resub", m => received.TrySetResult(System.Text.Encoding.UTF8.GetString(m.Span)));

        await server.StopAsync();
        await server.RestartAsync();
        // Publish until the re-subscribed connection is there to receive (pub/sub drops messages nobody hears).
        await RetryUntilAsync(async () =>
        {
            var receivers = await client.PublishAsync("resub", "again"u8.ToArray());
            return receivers == 1 ? "ok" : throw new InvalidOperationException("not yet re-subscribed");
        });

        Assert.Equal("again", await received.Task.WaitAsync(Bound));
    }

    private static async Task<T> RetryUntilAsync<T>(Func<Task<T>> action)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception) when (deadline.Elapsed < Bound)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
