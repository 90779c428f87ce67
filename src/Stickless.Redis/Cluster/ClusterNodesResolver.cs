using Stickless.Redis.Connections;

namespace Stickless.Redis.Cluster;

/// <summary>
/// Candidates for a connection that may go to any node (the pub/sub connection): the nodes of the current
/// slot map, masters first, then the configured seeds. Asked again on every reconnect, so the connection
/// follows the cluster as nodes fail and are replaced.
/// </summary>
internal sealed class ClusterNodesResolver(Func<IReadOnlyList<RedisEndpoint>> nodes) : IRedisEndpointResolver
{
    public ValueTask<IReadOnlyList<RedisEndpoint>> ResolveAsync(CancellationToken cancellationToken) => new(nodes());
}
