using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

public sealed partial class RedisClient
{
    /// <summary>
    /// Sends <paramref name="operations"/> back to back on the one physical connection <paramref name="connection"/>
    /// holds now (so that a <c>WAIT</c> follows its write on the same socket, usually in the same flush) and waits
    /// for every reply within <paramref name="timeout"/>. Error replies are returned, not thrown.
    /// </summary>
    private async ValueTask<(RespValue[] Replies, RedisPhysicalConnection Physical)> RunPipelineAsync(
        ReconnectingRedisConnection connection, RedisOperation[] operations, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var started = _time.GetTimestamp();
        var physical = await connection.GetConnectionAsync(timeout, cancellationToken).ConfigureAwait(false);
        foreach (var operation in operations) { physical.Enqueue(operation); }
        var replies = new RespValue[operations.Length];
        var i = 0;
        try
        {
            for (; i < operations.Length; i++)
            {
                var remaining = timeout - _time.GetElapsedTime(started);
                replies[i] = await operations[i].Completion
                    .WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromTicks(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            for (var j = i; j < operations.Length; j++) { operations[j].Abandon(); }
            if (ex is TimeoutException)
            {
                throw new RedisTimeoutException(
                    $"Redis {physical.Endpoint} did not answer {operations[i].Command} within {(long)timeout.TotalMilliseconds} ms.", ex) { Endpoint = physical.Endpoint };
            }
            throw;
        }
        return (replies, physical);
    }

    /// <summary>
    /// Sentinel mode: runs the operations <paramref name="build"/> makes, and once more (freshly built, on
    /// whatever master the connection finds) when <see cref="RedisRetryRule"/> says that is safe; all within one
    /// command timeout. Failures name the master and the sentinels.
    /// </summary>
    private async ValueTask<RespValue[]> RunFollowingFailoverAsync(
        ReconnectingRedisConnection connection, Func<RedisOperation[]> build, CancellationToken cancellationToken)
    {
        var timeout = Options.CommandTimeout;
        var started = _time.GetTimestamp();
        RedisConnectionException? first = null;
        while (true)
        {
            var operations = build();
            RedisConnectionException failure;
            try
            {
                var (replies, physical) = await RunPipelineAsync(connection, operations, timeout - _time.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
                if (!RedisRetryRule.IsReadOnly(replies[0])) { return replies; }
                RedisLog.ReadOnlyReply(_logger, physical.Endpoint, operations[0].Command);
                connection.Reconnect(physical);
                failure = new RedisConnectionException(
                    $"Redis {physical.Endpoint} refused {operations[0].Command} with READONLY: it is a replica now, not the master.",
                    new RedisServerException(replies[0].ErrorMessage ?? string.Empty)) { Endpoint = physical.Endpoint };
            }
            catch (RedisConnectionException ex) when (RedisRetryRule.MayRetryAfterConnectionError(operations[0]))
            {
                failure = ex;
            }
            catch (RedisConnectionException ex)
            {
                throw new RedisConnectionException(
                    $"{_resolver.Describe()}: {(first is null ? "" : first.Message + " Retrying once: ")}{ex.Message} {operations[0].Command} had been sent, so it may have run; it was not retried.", ex) { Endpoint = ex.Endpoint };
            }
            if (first is not null)
            {
                throw new RedisConnectionException(
                    $"{_resolver.Describe()}: {first.Message} Retrying once within {(long)timeout.TotalMilliseconds} ms failed too: {failure.Message}", failure) { Endpoint = failure.Endpoint };
            }
            if (_time.GetElapsedTime(started) >= timeout)
            {
                throw new RedisConnectionException(
                    $"{_resolver.Describe()}: {failure.Message} (no time left to retry within {(long)timeout.TotalMilliseconds} ms).", failure) { Endpoint = failure.Endpoint };
            }
            RedisLog.RetryAfterFailover(_logger, operations[0].Command, failure.Message);
            first = failure;
        }
    }

    /// <summary>One command through the failover-following runner; an error reply throws, as in <see cref="RunAsync(ReconnectingRedisConnection, RedisOperation, CancellationToken)"/>.</summary>
    private async ValueTask<RespValue> RunFollowingFailoverAsync(ReconnectingRedisConnection connection, string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        var replies = await RunFollowingFailoverAsync(connection, () => [new RedisOperation(command, args)], cancellationToken).ConfigureAwait(false);
        return replies[0].IsError ? throw new RedisServerException(replies[0].ErrorMessage ?? string.Empty) : replies[0];
    }
}
