using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// Runs a writing script and <c>WAIT</c>s for replicas on the same connection, pipelined, so that the
/// acknowledgement counts the script's write (WAIT counts the writes of the connection it is sent on: sent on
/// another connection, or after a reconnect, it would count nothing and answer at once).
/// </summary>
internal interface IRedisReplicaWaiter
{
    /// <summary>
    /// Runs <paramref name="script"/> and <c>WAIT <paramref name="replicas"/> <paramref name="waitTimeout"/></c>
    /// right behind it; returns the script's reply and the number of replicas that acknowledged.
    /// </summary>
    ValueTask<(RespValue Reply, long Acknowledged)> EvalAndWaitAsync(
        RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, int replicas, TimeSpan waitTimeout, CancellationToken cancellationToken);
}
