using System.Text;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Connections;

/// <summary>The client against a real redis-server started for this class.</summary>
public sealed class RedisClientIntegrationTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private RedisClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync("--enable-debug-command", "local");
        _client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_server.Endpoint},name=resp-tests"));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_BasicCommands_ReturnTypedReplies()
    {
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING")).GetString());
        Assert.Equal("OK", (await _client.ExecuteAsync("SET", ["basic:k", "v\u00e9"])).GetString());
        Assert.Equal("v\u00e9", (await _client.ExecuteAsync("GET", ["basic:k"])).GetString());
        Assert.True((await _client.ExecuteAsync("GET", ["basic:missing"])).IsNull);
        Assert.Equal(5, (await _client.ExecuteAsync("INCRBY", ["basic:n", "5"])).GetInt64());

        await _client.ExecuteAsync("HSET", ["basic:h", "a", "1", "b", "2"]);
        var hash = await _client.ExecuteAsync("HGETALL", ["basic:h"]);
        Assert.Equal(RespType.Array, hash.Type);
        Assert.Equal(4, hash.Count);

        Assert.Equal("resp-tests", (await _client.ExecuteAsync("CLIENT", ["GETNAME"])).GetString());
    }

    [Fact]
    public async Task ExecuteAsync_BinaryValue_RoundTripsExactly()
    {
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await _client.ExecuteAsync("SET", [Encoding.UTF8.GetBytes("bin:k"), value]);
        var reply = await _client.ExecuteAsync("GET", [Encoding.UTF8.GetBytes("bin:k")]);

        Assert.Equal(value, reply.GetBytes());
    }

    [Fact]
    public async Task ExecuteAsync_FiveMegabyteValue_RoundTripsAcrossManyReads()
    {
        var value = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(value);

        await _client.ExecuteAsync("SET", [Encoding.UTF8.GetBytes("big:k"), value]);
        var echoes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _client.ExecuteAsync("GET", ["big:k"]).AsTask()));

        Assert.All(echoes, reply => Assert.True(reply.Memory.Span.SequenceEqual(value)));
    }

    [Fact]
    public async Task ExecuteAsync_ErrorReply_ThrowsServerExceptionAndConnectionStaysHealthy()
    {
        await _client.ExecuteAsync("SET", ["err:k", "text"]);

        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.ExecuteAsync("INCR", ["err:k"]));
        var wrongType = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.ExecuteAsync("HGET", ["err:k", "f"]));

        Assert.Equal("ERR", error.ErrorCode);
        Assert.True(wrongType.IsWrongType);
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING")).GetString());
    }

    [Fact]
    public async Task ExecuteAsync_ThousandConcurrentCallers_EachGetsItsOwnReply()
    {
        const int callers = 1000;
        var tasks = Enumerable.Range(0, callers).Select(async i =>
        {
            var key = $"conc:{i}";
            var incremented = await _client.ExecuteAsync("INCRBY", [key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var read = await _client.ExecuteAsync("GET", [key]);
            return (i, incremented.GetInt64(), read.GetInt64());
        }).ToArray();

        foreach (var (i, incremented, read) in await Task.WhenAll(tasks))
        {
            Assert.Equal(i, incremented);
            Assert.Equal(i, read);
        }
    }

    [Fact]
    public async Task EvalAsync_AfterScriptFlush_ReloadsOnNoScriptAndSucceeds()
    {
        var script = new RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1]) + #KEYS + #ARGV");
        var keys = new ReadOnlyMemory<byte>[] { Encoding.UTF8.GetBytes("eval:k") };
        var args = new ReadOnlyMemory<byte>[] { Encoding.UTF8.GetBytes("10") };

        var first = await _client.EvalAsync(script, keys, args);
        await _client.ExecuteAsync("SCRIPT", ["FLUSH"]);
        Assert.Equal("0", (await _client.ExecuteAsync("SCRIPT", ["EXISTS", script.Sha1]))[0].GetString());
        var second = await _client.EvalAsync(script, keys, args);

        Assert.Equal(12, first.GetInt64());
        Assert.Equal(22, second.GetInt64());
        Assert.Equal("1", (await _client.ExecuteAsync("SCRIPT", ["EXISTS", script.Sha1]))[0].GetString());
    }

    [Fact]
    public async Task EvalAsync_ScriptRaisesError_ThrowsServerException()
    {
        var script = new RedisScript("return redis.error_reply('BOOM nope')");

        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.EvalAsync(script, [], []));

        Assert.Equal("BOOM", error.ErrorCode);
    }

    [Fact]
    public async Task LoadScriptAsync_Script_ServerAgreesOnSha1()
    {
        var script = new RedisScript("return 1");

        await _client.LoadScriptAsync(script);

        Assert.Equal(1, (await _client.EvalAsync(script, [], [])).GetInt64());
    }

    [Fact]
    public async Task ConnectAsync_DefaultDatabase_SelectsIt()
    {
        await using var db5 = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_server.Endpoint},defaultDatabase=5"));

        await db5.ExecuteAsync("SET", ["select:k", "five"]);

        Assert.True((await _client.ExecuteAsync("GET", ["select:k"])).IsNull);
        Assert.Equal("five", await _server.CliAsync("-n", "5", "GET", "select:k"));
    }

    [Fact]
    public async Task ConnectAsync_Resp3_NegotiatesAndParsesMapsAndPushes()
    {
        await using var resp3 = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_server.Endpoint},protocol=resp3"));

        await resp3.ExecuteAsync("HSET", ["resp3:h", "a", "1"]);
        var hash = await resp3.ExecuteAsync("HGETALL", ["resp3:h"]);
        var hello = await resp3.ExecuteAsync("HELLO", ["3"]);

        Assert.Equal(RespType.Map, hash.Type);
        Assert.Equal(["a", "1"], hash.Items.Select(i => i.GetString()));
        Assert.Equal(RespType.Map, hello.Type);
        Assert.Equal(RespType.Null, (await resp3.ExecuteAsync("GET", ["resp3:none"])).Type);
    }

    [Fact]
    public async Task SubscribeAsync_MessagePublished_IsDeliveredUntilDisposed()
    {
        var received = new List<string>();
        var gotTwo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = await _client.SubscribeAsync("chan:a", message =>
        {
            lock (received)
            {
                received.Add(Encoding.UTF8.GetString(message.Span));
                if (received.Count == 2) { gotTwo.TrySetResult(); }
            }
        });

        Assert.Equal(1, await _client.PublishAsync("chan:a", Encoding.UTF8.GetBytes("one")));
        await _client.PublishAsync("chan:a", Encoding.UTF8.GetBytes("two"));
        await gotTwo.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await subscription.DisposeAsync();

        Assert.Equal(["one", "two"], received);
        Assert.Equal(0, await _client.PublishAsync("chan:a", Encoding.UTF8.GetBytes("three")));
    }

    [Fact]
    public async Task SubscribeAsync_Resp3_DeliversPushMessages()
    {
        await using var resp3 = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{_server.Endpoint},protocol=resp3"));
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await resp3.SubscribeAsync("chan:resp3", m => received.TrySetResult(Encoding.UTF8.GetString(m.Span)));

        Assert.Equal(1, await _client.PublishAsync("chan:resp3", Encoding.UTF8.GetBytes("pushed")));
        Assert.Equal("pushed", await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task SubscribeAsync_TwoHandlersOneChannel_BothReceiveAndChannelStaysUntilLastIsDisposed()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = await _client.SubscribeAsync("chan:two", _ => first.TrySetResult());
        var b = await _client.SubscribeAsync("chan:two", _ => second.TrySetResult());

        await _client.PublishAsync("chan:two", Encoding.UTF8.GetBytes("x"));
        await Task.WhenAll(first.Task, second.Task).WaitAsync(TimeSpan.FromSeconds(5));
        await a.DisposeAsync();
        var afterFirst = await _client.PublishAsync("chan:two", Encoding.UTF8.GetBytes("y"));
        await b.DisposeAsync();
        var afterBoth = await _client.PublishAsync("chan:two", Encoding.UTF8.GetBytes("z"));

        Assert.Equal(1, afterFirst);
        Assert.Equal(0, afterBoth);
    }

    [Fact]
    public async Task ExecuteAsync_NoArguments_AllOverloadsWork()
    {
        // ExecuteAsync("PING", [], ct) does not compile (both array overloads fit []): these are the ways to say it.
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING")).GetString());
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING", Array.Empty<ReadOnlyMemory<byte>>(), CancellationToken.None)).GetString());
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING", Array.Empty<string>(), CancellationToken.None)).GetString());
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_ThrowsOperationCanceledAndNextCallGetsItsOwnReply()
    {
        using var cancelled = new CancellationTokenSource();
        var slow = _client.ExecuteAsync("DEBUG", ["SLEEP", "0.2"], cancelled.Token);
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await slow);
        Assert.Equal("after", (await _client.ExecuteAsync("ECHO", ["after"])).GetString());
    }
}
