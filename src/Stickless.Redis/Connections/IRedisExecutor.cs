using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// What the session store needs from Redis, whatever the deployment: <see cref="RedisClient"/> (one server,
/// or the master Sentinel names) or <see cref="Cluster.RedisClusterClient"/> (commands routed by slot).
/// </summary>
/// <remarks>
/// In a cluster a command goes to the master of its first key's slot: <c>args[0]</c> for
/// <see cref="ExecuteAsync"/> (keyless commands such as <c>PING</c> and <c>PUBLISH</c> go to any master, see
/// <see cref="Cluster.ClusterRouting"/>), <c>keys[0]</c> for <see cref="EvalAsync"/>, whose keys must all be in
/// that one slot; <see cref="IRedisReplicaWaiter.EvalAndWaitAsync"/> waits for the replicas of that slot's master.
/// Errors are those of <see cref="RedisClient"/>.
/// </remarks>
internal interface IRedisExecutor : IRedisReplicaWaiter, IAsyncDisposable
{
    /// <summary>True when commands are routed over a Redis Cluster.</summary>
    bool IsCluster { get; }

    /// <summary>Sends one command; in a cluster, to the master of <c>args[0]</c>'s slot unless the command takes no key.</summary>
    ValueTask<RespValue> ExecuteAsync(string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken);

    /// <summary>Sends one command to the node that serves <paramref name="routingKey"/> (for <c>WAIT</c> after a write to that key).</summary>
    ValueTask<RespValue> ExecuteOnNodeOfAsync(ReadOnlyMemory<byte> routingKey, string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken);

    /// <summary>Runs a script (EVALSHA, EVAL on NOSCRIPT); in a cluster, on the master of <c>keys[0]</c>'s slot.</summary>
    ValueTask<RespValue> EvalAsync(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken);

    /// <summary>Publishes on a channel (in a cluster, any node: classic pub/sub reaches every node).</summary>
    ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Subscribes to a channel; dispose the result to unsubscribe.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken);
}
