namespace Stickless.Redis;

/// <summary>
/// What a write does when fewer replicas than <see cref="RedisSessionStoreOptions.WaitForReplicas"/>
/// acknowledged it within <see cref="RedisSessionStoreOptions.WaitTimeout"/>. Either way the write has
/// already been applied on the master: WAIT cannot undo it.
/// </summary>
public enum RedisWaitFailurePolicy
{
    /// <summary>
    /// Throw <see cref="SessionStoreUnavailableException"/> (HTTP 503 from the middleware): the request is not
    /// told "saved" for a write that a failover could lose. The write may still have happened and may still
    /// reach the replicas later. The default.
    /// </summary>
    FailRequest,

    /// <summary>
    /// Accept the write, log a warning and count it in the metric <c>stickless.redis.wait_shortfalls</c>
    /// (meter <c>Stickless</c>): availability first, with the exposure measured.
    /// </summary>
    AcceptAndCount,
}
