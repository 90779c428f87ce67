namespace Stickless.Redis.Connections;

/// <summary>
/// Decides which server a (re)connection goes to. Standalone mode tries the configured endpoints in order;
/// Sentinel mode (<see cref="SentinelEndpointResolver"/>) asks the sentinels for the current master each time.
/// </summary>
internal interface IRedisEndpointResolver
{
    /// <summary>The candidates for the next connection attempt, best first.</summary>
    ValueTask<IReadOnlyList<RedisEndpoint>> ResolveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Checks a freshly connected, authenticated server before callers may use it; throws
    /// <see cref="RedisConnectionException"/> to reject it (the connection then retries with backoff).
    /// Sentinel mode asks <c>ROLE</c> and rejects anything but a master. Default: accept.
    /// </summary>
    ValueTask VerifyAsync(RedisPhysicalConnection connection, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Told about every connection that uses this resolver, so that it can make them reconnect when the
    /// topology changes (Sentinel: on <c>+switch-master</c>). Default: ignored.
    /// </summary>
    void Attach(ReconnectingRedisConnection connection)
    {
    }

    /// <summary>
    /// Whether calls through connections of this resolver may be retried once after a failover
    /// (see <see cref="RedisRetryRule"/>). Default false: standalone calls are never retried.
    /// </summary>
    bool FollowsFailover => false;

    /// <summary>Words naming the deployment in error messages, e.g. "master 'mymaster' (sentinels a:1, b:2)".</summary>
    string Describe() => "Redis";
}
