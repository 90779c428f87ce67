using Microsoft.Extensions.Logging;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    // 3100-3101 and 3110-3112: RedisConnection; 3120: WAIT (Durability); 3150: Cluster.
    [LoggerMessage(EventId = 3102, EventName = "RedisStoreUnavailable", Level = LogLevel.Warning, Message = "Redis session store unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 3103, EventName = "RedisStoreAttributeWithoutVersion", Level = LogLevel.Warning, Message = "Session attribute {Name} has no version in Redis and was skipped.")]
    private static partial void LogAttributeWithoutVersion(ILogger logger, string name);

    [LoggerMessage(EventId = 3104, EventName = "RedisStoreIndexPruned", Level = LogLevel.Debug, Message = "Pruned {Count} dead session ids from a per-user index.")]
    private static partial void LogIndexPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 3105, EventName = "RedisStoreSwept", Level = LogLevel.Debug, Message = "Expiry sweep reported {Count} expired sessions.")]
    private static partial void LogSwept(ILogger logger, long count);

    [LoggerMessage(EventId = 3106, EventName = "RedisStoreSweepFailed", Level = LogLevel.Warning, Message = "Expiry sweep failed; the next tick retries.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3107, EventName = "RedisStoreSubscribed", Level = LogLevel.Information, Message = "Redis session store listens for lifecycle events on {Channel}.")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(EventId = 3108, EventName = "RedisStoreSubscriptionFailed", Level = LogLevel.Warning, Message = "Lifecycle event subscription failed; retrying in {Delay}.")]
    private static partial void LogSubscriptionFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 3109, EventName = "RedisStoreBadEvent", Level = LogLevel.Warning, Message = "Ignored a malformed lifecycle event message on {Channel}.")]
    private static partial void LogBadEvent(ILogger logger, string channel);

    [LoggerMessage(EventId = 3113, EventName = "RedisStoreUnsubscribeFailed", Level = LogLevel.Debug, Message = "Unsubscribing from the lifecycle event channel failed; the connection is closing anyway.")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3114, EventName = "RedisStorePrincipalRetry", Level = LogLevel.Debug,
        Message = "A session held another principal than this node last saw; the script wrote nothing and the call was sent again with that principal's index.")]
    private static partial void LogPrincipalRetry(ILogger logger);
}
