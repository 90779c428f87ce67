using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

public sealed partial class RedisClient : IRedisReplicaWaiter
{
    // WAIT blocks the connection it is sent on until the replicas acknowledge (or its timeout passes), and every
    // command pipelined behind it waits as well. Writes that wait for replicas therefore use lanes of their own,
    // so reads never queue behind a WAIT, and a slow replica stalls at most one lane's writes at a time.
    private const int DurableLaneCount = 4;

    private readonly Lock _lanesGate = new();
    private ReconnectingRedisConnection[]? _lanes;
    private int _nextLane;

    /// <summary>
    /// Runs <paramref name="script"/> and, pipelined right behind it on the same connection (one flush, one
    /// round trip when the replicas are quick), <c>WAIT <paramref name="replicas"/> <paramref name="waitTimeout"/></c>.
    /// Returns the script's reply and how many replicas acknowledged every write made on that connection so far
    /// (the script's included). On <c>NOSCRIPT</c> the pair is sent again with <c>EVAL</c>.
    /// </summary>
    /// <exception cref="RedisServerException">The script raised an error, or the server refused it.</exception>
    /// <exception cref="RedisTimeoutException">No reply within the command timeout.</exception>
    /// <exception cref="RedisConnectionException">No connection, or it failed before the replies arrived.</exception>
    public async ValueTask<(RespValue Reply, long Acknowledged)> EvalAndWaitAsync(
        RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, int replicas, TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        var lane = NextLane();
        var evalArgs = new ReadOnlyMemory<byte>[2 + keys.Length + args.Length];
        evalArgs[0] = script.Sha1Bytes;
        evalArgs[1] = FormatInteger(keys.Length);
        keys.CopyTo(evalArgs, 2);
        args.CopyTo(evalArgs, 2 + keys.Length);
        ReadOnlyMemory<byte>[] waitArgs = [FormatInteger(replicas), FormatInteger((long)Math.Ceiling(waitTimeout.TotalMilliseconds))];

        var replies = await RunLaneAsync(lane, "EVALSHA", evalArgs, waitArgs, cancellationToken).ConfigureAwait(false);
        if (replies[0].IsError && new RedisServerException(replies[0].ErrorMessage ?? string.Empty).IsNoScript)
        {
            RedisLog.ScriptReloaded(_logger, script.Sha1);
            // Both replies are in, so the argument array is ours to reuse.
            evalArgs[0] = script.LuaBytes;
            replies = await RunLaneAsync(lane, "EVAL", evalArgs, waitArgs, cancellationToken).ConfigureAwait(false);
        }
        var reply = replies[0].ThrowIfError();
        return (reply, replies[1].ThrowIfError().GetInt64());
    }

    private async ValueTask<RespValue[]> RunLaneAsync(ReconnectingRedisConnection lane, string command, ReadOnlyMemory<byte>[] evalArgs, ReadOnlyMemory<byte>[] waitArgs, CancellationToken cancellationToken)
    {
        RedisOperation[] Build() => [new RedisOperation(command, evalArgs), new RedisOperation("WAIT", waitArgs)];
        if (_resolver.FollowsFailover)
        {
            return await RunFollowingFailoverAsync(lane, Build, cancellationToken).ConfigureAwait(false);
        }
        var (replies, _) = await RunPipelineAsync(lane, Build(), Options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        return replies;
    }

    private ReconnectingRedisConnection NextLane()
    {
        var lanes = Volatile.Read(ref _lanes) ?? CreateLanes();
        return lanes[(int)((uint)Interlocked.Increment(ref _nextLane) % (uint)lanes.Length)];
    }

    private ReconnectingRedisConnection[] CreateLanes()
    {
        lock (_lanesGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_lanes is not null) { return _lanes; }
            // A lane that cannot connect yet keeps trying in the background; callers wait their own timeout.
            var options = Options.Clone();
            options.AbortOnConnectFail = false;
            var lanes = new ReconnectingRedisConnection[DurableLaneCount];
            for (var i = 0; i < lanes.Length; i++)
            {
                lanes[i] = new ReconnectingRedisConnection(new RedisConnectionSettings(options, _time, _logger, "durable"), _resolver, _random);
                _ = lanes[i].StartAsync(CancellationToken.None);
            }
            Volatile.Write(ref _lanes, lanes);
            return lanes;
        }
    }

    private async ValueTask DisposeLanesAsync()
    {
        ReconnectingRedisConnection[]? lanes;
        lock (_lanesGate) { lanes = _lanes; }
        if (lanes is null) { return; }
        foreach (var lane in lanes) { await lane.DisposeAsync().ConfigureAwait(false); }
    }
}
