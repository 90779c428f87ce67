namespace Stickless.Redis.Connections;

/// <summary>The configured endpoints, always in the configured order: the first one that answers wins.</summary>
internal sealed class StandaloneEndpointResolver : IRedisEndpointResolver
{
    private readonly RedisEndpoint[] _endpoints;

    public StandaloneEndpointResolver(IEnumerable<RedisEndpoint> endpoints) => _endpoints = [.. endpoints];

    public ValueTask<IReadOnlyList<RedisEndpoint>> ResolveAsync(CancellationToken cancellationToken) =>
        new(_endpoints);
}
