using Microsoft.Extensions.Logging;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Cluster;

/// <summary>
/// Connects the right client for the deployment: <see cref="RedisClusterClient"/> for a Redis Cluster,
/// otherwise <see cref="RedisClient"/> (one server, or Sentinel when <c>serviceName</c> is set).
/// </summary>
/// <remarks>
/// <c>cluster=true</c> or <c>cluster=false</c> in the connection string (<see cref="RedisConnectionOptions.Cluster"/>)
/// decides. Without it, the first connection asks <c>INFO cluster</c>: <c>cluster_enabled:1</c> switches to the
/// cluster client, seeded with the configured endpoints (one extra round trip, once). A Sentinel configuration is
/// never a cluster. A server that refuses <c>INFO</c> (renamed command, ACL) is taken as standalone.
/// </remarks>
internal static class RedisExecutorFactory
{
    private static readonly ReadOnlyMemory<byte>[] ClusterSection = ["cluster"u8.ToArray()];

    public static async ValueTask<IRedisExecutor> ConnectAsync(RedisConnectionOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Cluster == true)
        {
            return await RedisClusterClient.ConnectAsync(options, loggerFactory, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var client = await RedisClient.ConnectAsync(options, loggerFactory, timeProvider, cancellationToken).ConfigureAwait(false);
        if (options.Cluster == false || options.ServiceName is not null || !await IsClusterAsync(client, cancellationToken).ConfigureAwait(false))
        {
            return client;
        }

        // Seed the cluster client with the node that answered first, then the rest of the configured ones.
        var seeded = options.Clone();
        if (client.ConnectedEndpoint is { } answered)
        {
            seeded.Endpoints.Remove(answered);
            seeded.Endpoints.Insert(0, answered);
        }

        await client.DisposeAsync().ConfigureAwait(false);
        return await RedisClusterClient.ConnectAsync(seeded, loggerFactory, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the server reports <c>cluster_enabled:1</c> in <c>INFO cluster</c>.</summary>
    private static async ValueTask<bool> IsClusterAsync(RedisClient client, CancellationToken cancellationToken)
    {
        try
        {
            var info = await client.ExecuteAsync("INFO", ClusterSection, cancellationToken).ConfigureAwait(false);
            return IsClusterEnabled(info.GetString());
        }
        catch (RedisServerException)
        {
            return false;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads <c>cluster_enabled:1</c> out of an <c>INFO</c> text.</summary>
    internal static bool IsClusterEnabled(string? info) =>
        info is not null && info.Split('\n').Any(line => line.Trim() == "cluster_enabled:1");
}
