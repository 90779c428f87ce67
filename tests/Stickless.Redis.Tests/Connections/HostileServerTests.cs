using System.Diagnostics;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Connections;

/// <summary>
/// The client against an in-test server that sends what a real Redis never would. Every case must end in a
/// prompt <see cref="RedisConnectionException"/> (not a hang, not the command timeout, not a wrong reply),
/// and the next call, on a fresh connection, must work.
/// </summary>
public sealed class HostileServerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string, bool> HostileReplies => new()
    {
        { "connection dropped in the middle of a bulk string", "$10\r\nabc", true },
        { "connection dropped before any byte of the reply", "", true },
        { "connection dropped in the middle of an array", "*3\r\n$1\r\na\r\n", true },
        { "bulk length far beyond any limit", "$999999999999\r\n", false },
        { "bulk length just over the 64 MiB cap", "$67108865\r\n", false },
        { "array length beyond the element limit", "*99999999999\r\n", false },
        { "negative length other than -1", "$-5\r\n", false },
        { "length with a non-digit", "$1x\r\nab\r\n", false },
        { "bulk string not followed by CRLF", "$2\r\nabXX", false },
        { "nesting deeper than 32", string.Concat(Enumerable.Repeat("*1\r\n", 40)) + ":1\r\n", false },
        { "unknown type byte", "@foo\r\n", false },
        { "binary garbage", "\u0001\u0002garbage\r\n", false },
        { "an HTTP answer instead of RESP", "HTTP/1.1 400 Bad Request\r\n\r\n", false },
        { "a line that never ends (over the 64 KiB line limit)", "+" + new string('a', 100_000), false },
    };

    [Theory]
    [MemberData(nameof(HostileReplies))]
    public async Task ExecuteAsync_HostileReply_FailsPromptlyThenRecoversOnNewConnection(string why, string reply, bool close)
    {
        await using var server = new ScriptedRedisServer((connection, command) =>
            command is ["GET", "bad"] ? ScriptedReply.Raw(reply, close)
            : command is ["GET", "good"] ? ScriptedReply.Raw($"$6\r\ngood-{connection}\r\n")
            : null);
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=5000,connectTimeout=5000"));
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(async () => await client.ExecuteAsync("GET", ["bad"]).AsTask().WaitAsync(Bound));

        Assert.True(error is RedisConnectionException, $"{why}: expected RedisConnectionException, got {error?.ToString() ?? "a reply"}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"{why}: took {watch.Elapsed}, should fail at once, not by timeout");
        var next = await RetryAsync(async () => (await client.ExecuteAsync("GET", ["good"])).GetString());
        Assert.Equal("good-2", next);
    }

    [Fact]
    public async Task ExecuteAsync_ServerStopsAnsweringMidReply_CallerTimesOutThenNextCallWorks()
    {
        await using var server = new ScriptedRedisServer((connection, command) =>
            command is ["GET", "bad"] ? ScriptedReply.Silence("$10\r\nabc")
            : command is ["GET", "good"] ? ScriptedReply.Raw($"$6\r\ngood-{connection}\r\n")
            : null);
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=400,connectTimeout=5000"));
        var watch = Stopwatch.StartNew();

        var stuck = await Record.ExceptionAsync(async () => await client.ExecuteAsync("GET", ["bad"]).AsTask().WaitAsync(Bound));
        var elapsed = watch.Elapsed;
        var queuedBehind = await Record.ExceptionAsync(async () => await client.ExecuteAsync("GET", ["good"]).AsTask().WaitAsync(Bound));

        Assert.True(stuck is RedisTimeoutException, $"expected a timeout, got {stuck}");
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(2));
        // Sent on the silent connection, it either times out too or fails when that connection is torn down;
        // it must never receive the rest of the stuck reply.
        Assert.True(queuedBehind is RedisTimeoutException or RedisConnectionException || queuedBehind is null, $"got {queuedBehind}");
        Assert.Equal("good-2", await RetryAsync(async () => (await client.ExecuteAsync("GET", ["good"])).GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_LateReplyAfterTimeout_IsDiscardedNotGivenToNextCaller()
    {
        await using var server = new ScriptedRedisServer((_, command) => command switch
        {
            ["GET", "slow"] => new ScriptedReply("$4\r\nslow\r\n"u8.ToArray(), Delay: TimeSpan.FromMilliseconds(450)),
            ["GET", var key] => ScriptedReply.Raw($"${key.Length}\r\n{key}\r\n"),
            _ => null,
        });
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=400,connectTimeout=5000"));

        var slow = client.ExecuteAsync("GET", ["slow"]).AsTask();
        var fast = client.ExecuteAsync("GET", ["fast"]).AsTask();

        await Assert.ThrowsAsync<RedisTimeoutException>(() => slow);
        var fastOutcome = await Record.ExceptionAsync(() => fast);
        if (fastOutcome is null) { Assert.Equal("fast", (await fast).GetString()); }
        else { Assert.True(fastOutcome is RedisTimeoutException or RedisConnectionException, $"got {fastOutcome}"); }
        Assert.Equal("after", await RetryAsync(async () => (await client.ExecuteAsync("GET", ["after"])).GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_ReplyNobodyAskedFor_DropsConnectionInsteadOfMisattributing()
    {
        await using var server = new ScriptedRedisServer((connection, command) =>
            command is ["GET", "twice"] ? ScriptedReply.Raw("$5\r\nfirst\r\n$5\r\nextra\r\n")
            : command is ["GET", var key] ? ScriptedReply.Raw($"${key.Length}\r\n{key}\r\n")
            : null);
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=2000,connectTimeout=5000"));

        var first = await client.ExecuteAsync("GET", ["twice"]);
        var next = await RetryAsync(async () => (await client.ExecuteAsync("GET", ["mine"])).GetString());

        Assert.Equal("first", first.GetString());
        Assert.Equal("mine", next);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task ExecuteAsync_BulkOverConfiguredLimit_FailsWithConnectionException()
    {
        await using var server = new ScriptedRedisServer((_, command) =>
            command is ["GET", _] ? ScriptedReply.Raw("$20\r\n01234567890123456789\r\n") : null);
        var options = RedisConnectionOptions.Parse($"{server.Endpoint},syncTimeout=2000");
        options.Reader = new RespReaderOptions { MaxBulkLength = 10 };
        await using var client = await RedisClient.ConnectAsync(options);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.ExecuteAsync("GET", ["k"]));

        Assert.IsType<RespProtocolException>(error.InnerException);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try { return await action(); }
            catch (Exception) when (deadline.Elapsed < Bound) { await Task.Delay(20); }
        }
    }
}
