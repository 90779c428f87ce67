namespace Stickless.Redis.Connections;

/// <summary>
/// Decides which server a (re)connection goes to. Standalone mode tries the configured endpoints in order;
/// Sentinel mode (a later resolver) asks the sentinels for the current master each time.
/// </summary>
internal interface IRedisEndpointResolver
{
    /// <summary>The candidates for the next connection attempt, best first.</summary>
    ValueTask<IReadOnlyList<RedisEndpoint>> ResolveAsync(CancellationToken cancellationToken);
}
