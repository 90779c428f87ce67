using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

// The standalone (and Sentinel) side of IRedisExecutor: one server serves every key, so routing is a no-op.
public sealed partial class RedisClient : IRedisExecutor
{
    bool IRedisExecutor.IsCluster => false;

    ValueTask<RespValue> IRedisExecutor.ExecuteOnNodeOfAsync(ReadOnlyMemory<byte> routingKey, string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken) =>
        ExecuteAsync(command, args, cancellationToken);
}
