using System.Text;
using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;
using Stickless.Memcached.Tests.Infrastructure;

namespace Stickless.Memcached.Tests.Connections;

/// <summary>
/// The client against a server that misbehaves on purpose. Every case must end in a clean failure of the calls on
/// that connection, a reset, and a working connection after the probe: never a hang, a huge allocation, or one
/// caller's reply handed to another.
/// </summary>
public sealed class HostileServerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<string, string, bool> HostileReplies => new()
    {
        { "garbage instead of a reply", "\u0001\u0002 garbage\r\n", false },
        { "a truncated VA, then the connection closes", "VA 10 O{0}\r\nabc", true },
        { "a VA whose value runs past its declared length", "VA 2 O{0}\r\nabcdef\r\n", false },
        { "a reply carrying another request's opaque", "HD O999999\r\n", false },
        { "a reply without the opaque it must echo", "HD\r\n", false },
        { "an unknown command error for a request the client validated", "ERROR\r\n", false },
        { "a line that never ends", new string('x', 10_000), false },
        { "a VA declaring 2 GB", "VA 2000000000 O{0}\r\n", false },
        { "MN where a get was sent", "MN\r\n", false },
        { "a reply to a different protocol", "+OK\r\n", false },
    };

    [Theory]
    [MemberData(nameof(HostileReplies))]
    public async Task GetAsync_HostileReply_FailsCleanlyAndReconnects(string why, string reply, bool close)
    {
        var hostile = 0;
        await using var server = new HostileMemcachedServer((_, command) =>
            command.StartsWith("mg s:bad", StringComparison.Ordinal) && Interlocked.Increment(ref hostile) == 1
                ? HostileReply.Raw(string.Format(System.Globalization.CultureInfo.InvariantCulture, reply, HostileMemcachedServer.OpaqueOf(command)), close)
                : null);
        await using var node = NodeFactory.Create(server.Port);

        var error = await Record.ExceptionAsync(() => node.GetAsync("s:bad"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound));
        Assert.True(error is MemcachedConnectionException or MemcachedServerException, $"{why}: {error?.GetType().Name}: {error?.Message}");
        Assert.False(error is MemcachedTimeoutException, $"{why}: the failure waited for the timeout instead of being seen at once");
        Assert.True(node.IsDown, why);

        Assert.True(await node.ProbeAsync().WaitAsync(Bound), why);
        var after = await node.GetAsync("s:bad"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(MetaStatus.Miss, after.Status);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task GetAsync_RepliesSwappedBetweenTwoPipelinedRequests_NeitherCallerGetsTheOthersValue()
    {
        // The server answers the second request first: the opaque check must catch it.
        var held = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new HostileMemcachedServer((_, command) =>
        {
            if (command.StartsWith("mg s:alice", StringComparison.Ordinal))
            {
                held.TrySetResult(HostileMemcachedServer.OpaqueOf(command));
                return HostileReply.Raw("");
            }

            if (command.StartsWith("mg s:bob", StringComparison.Ordinal))
            {
                var aliceOpaque = held.Task.Result;
                return HostileReply.Raw($"VA 3 O{HostileMemcachedServer.OpaqueOf(command)}\r\nbob\r\nVA 5 O{aliceOpaque}\r\nalice\r\n");
            }

            return null;
        });
        await using var node = NodeFactory.Create(server.Port);
        await node.NoOpAsync(CancellationToken.None);

        var alice = node.GetAsync("s:alice"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        var bob = node.GetAsync("s:bob"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        var aliceError = await Record.ExceptionAsync(() => alice.WaitAsync(Bound));
        var bobError = await Record.ExceptionAsync(() => bob.WaitAsync(Bound));

        Assert.IsAssignableFrom<MemcachedConnectionException>(aliceError);
        Assert.IsAssignableFrom<MemcachedConnectionException>(bobError);
    }

    [Fact]
    public async Task SendAsync_ClientErrorMidPipeline_EarlierSucceedsThatOneFailsLaterOnesFailAsUnknown()
    {
        var gate = new ManualResetEventSlim();
        await using var server = new HostileMemcachedServer((_, command) => command switch
        {
            _ when command.StartsWith("mg k1", StringComparison.Ordinal) => Wait(gate, HostileReply.Raw($"EN O{HostileMemcachedServer.OpaqueOf(command)}\r\n")),
            _ when command.StartsWith("mg k2", StringComparison.Ordinal) => HostileReply.Raw("CLIENT_ERROR bad data chunk\r\n"),
            _ when command.StartsWith("mg k3", StringComparison.Ordinal) => HostileReply.Raw($"EN O{HostileMemcachedServer.OpaqueOf(command)}\r\n"),
            _ => null,
        });
        await using var node = NodeFactory.Create(server.Port);
        await node.NoOpAsync(CancellationToken.None);

        var first = node.GetAsync("k1"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        var second = node.GetAsync("k2"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        var third = node.GetAsync("k3"u8, MetaGetFlags.Value, 0, CancellationToken.None);
        gate.Set();

        Assert.Equal(MetaStatus.Miss, (await first.WaitAsync(Bound)).Status);
        var secondError = await Assert.ThrowsAsync<MemcachedServerException>(() => second.WaitAsync(Bound));
        Assert.Equal(MetaStatus.ClientError, secondError.Status);
        await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => third.WaitAsync(Bound));
    }

    [Fact]
    public async Task SetAsync_ServerErrorThenClose_FailsThatCallAndMarksTheNodeDown()
    {
        await using var server = new HostileMemcachedServer((_, command) =>
            command.StartsWith("ms ", StringComparison.Ordinal) ? HostileReply.Raw("SERVER_ERROR out of memory storing object\r\n", close: true) : null);
        await using var node = NodeFactory.Create(server.Port);

        var error = await Assert.ThrowsAsync<MemcachedServerException>(() =>
            node.SetAsync("k"u8, "v"u8, new MetaSetOptions(MetaSetMode.Set, 60), CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(MetaStatus.ServerError, error.Status);
        await WaitUntilAsync(() => node.IsDown);
    }

    [Fact]
    public async Task GetAsync_ReplySplitIntoSingleBytes_Assembled()
    {
        await using var server = new HostileMemcachedServer((_, command) =>
            command.StartsWith("mg ", StringComparison.Ordinal)
                ? new HostileReply(Encoding.ASCII.GetBytes($"VA 5 c7 f3 t60 O{HostileMemcachedServer.OpaqueOf(command)}\r\nhello\r\n"), ByteByByte: true)
                : null);
        await using var node = NodeFactory.Create(server.Port);

        var reply = await node.GetAsync("k"u8, MetaGetFlags.Value | MetaGetFlags.Cas, 0, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal("hello", Encoding.ASCII.GetString(reply.Value!));
        Assert.Equal(7ul, reply.Cas);
        Assert.Equal(3u, reply.ClientFlags);
    }

    [Fact]
    public async Task GetAsync_ServerGoesSilent_TimesOutAndAfterTwoTimeoutsMarksDown()
    {
        await using var server = new HostileMemcachedServer((_, command) => command.StartsWith("mg ", StringComparison.Ordinal) ? HostileReply.Silence : null);
        await using var node = NodeFactory.Create(server.Port, operationTimeout: TimeSpan.FromMilliseconds(300));
        await node.NoOpAsync(CancellationToken.None);

        await Assert.ThrowsAsync<MemcachedTimeoutException>(() => node.GetAsync("a"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound));
        await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => node.GetAsync("b"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound));
        Assert.True(node.IsDown);

        // Down: fails at once, without waiting for a timeout.
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => node.GetAsync("c"u8, MetaGetFlags.Value, 0, CancellationToken.None));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task GetAsync_CallerCancels_ThrowsOperationCanceledAndLateReplyIsDiscarded()
    {
        var release = new ManualResetEventSlim();
        await using var server = new HostileMemcachedServer((_, command) =>
            command.StartsWith("mg slow", StringComparison.Ordinal) ? Wait(release, HostileReply.Raw($"VA 4 O{HostileMemcachedServer.OpaqueOf(command)}\r\nslow\r\n")) : null);
        await using var node = NodeFactory.Create(server.Port);
        await node.NoOpAsync(CancellationToken.None);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => node.GetAsync("slow"u8, MetaGetFlags.Value, 0, cancel.Token));
        release.Set();

        var next = await node.GetAsync("fast"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(MetaStatus.Miss, next.Status);
        Assert.False(node.IsDown);
    }

    [Fact]
    public async Task Connect_ServerOlderThan1618_RefusedWithTheVersionInTheMessage()
    {
        await using var server = new HostileMemcachedServer((_, _) => null) { Version = "1.6.9" };
        await using var node = NodeFactory.Create(server.Port);

        var error = await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => node.NoOpAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.Contains("1.6.9", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.6.18", error.Message, StringComparison.Ordinal);
        Assert.True(node.IsDown);
    }

    [Fact]
    public async Task GetAsync_ExtraReplyNobodyAskedFor_ResetsTheConnection()
    {
        await using var server = new HostileMemcachedServer((_, command) =>
            command.StartsWith("mg ", StringComparison.Ordinal) ? HostileReply.Raw($"EN O{HostileMemcachedServer.OpaqueOf(command)}\r\nEN O1\r\n") : null);
        await using var node = NodeFactory.Create(server.Port);

        await node.GetAsync("k"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound);
        await WaitUntilAsync(() => node.IsDown);
    }

    [Fact]
    public async Task SetAsync_ValueLargerThanItemSizeMax_RefusedWithoutSending()
    {
        await using var server = new HostileMemcachedServer((_, _) => null);
        await using var node = NodeFactory.Create(server.Port);
        await node.NoOpAsync(CancellationToken.None);

        Assert.Throws<MemcachedItemTooLargeException>(() => { _ = node.SetAsync("k"u8, new byte[1024 * 1024], new MetaSetOptions(MetaSetMode.Set, 60), CancellationToken.None); });
        Assert.DoesNotContain(server.Received, c => c.StartsWith("ms ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_NodeBackWithoutRestart_FlushedBeforeUse()
    {
        var first = true;
        await using var server = new HostileMemcachedServer((_, command) =>
        {
            if (command.StartsWith("mg ", StringComparison.Ordinal) && first)
            {
                first = false;
                return HostileReply.Raw("", close: true);
            }

            return null;
        });
        await using var node = NodeFactory.Create(server.Port);
        await Assert.ThrowsAnyAsync<MemcachedConnectionException>(() => node.GetAsync("k"u8, MetaGetFlags.Value, 0, CancellationToken.None).WaitAsync(Bound));
        await WaitUntilAsync(() => node.IsDown);

        Assert.True(await node.ProbeAsync().WaitAsync(Bound));
        Assert.Contains("flush_all", server.Received);
        Assert.Equal(1, node.Flushes);
    }

    private static HostileReply Wait(ManualResetEventSlim gate, HostileReply reply)
    {
        gate.Wait(Bound);
        return reply;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
