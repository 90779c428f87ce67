using Microsoft.Extensions.Logging;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    [LoggerMessage(EventId = 3100, EventName = "RedisStoreConnected", Level = LogLevel.Information, Message = "Redis session store connected to {Configuration}.")]
    private static partial void LogConnected(ILogger logger, string configuration);

    [LoggerMessage(EventId = 3101, EventName = "RedisStoreConnectFailed", Level = LogLevel.Warning, Message = "Redis session store could not connect; the next call retries.")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3102, EventName = "RedisStoreUnavailable", Level = LogLevel.Warning, Message = "Redis session store unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 3103, EventName = "RedisStoreAttributeWithoutVersion", Level = LogLevel.Warning, Message = "Session attribute {Name} has no version in Redis and was skipped.")]
    private static partial void LogAttributeWithoutVersion(ILogger logger, string name);

    [LoggerMessage(EventId = 3104, EventName = "RedisStoreIndexPruned", Level = LogLevel.Debug, Message = "Pruned {Count} dead session ids from a per-user index.")]
    private static partial void LogIndexPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 3105, EventName = "RedisStoreSwept", Level = LogLevel.Debug, Message = "Expiry sweep reported {Count} expired sessions.")]
    private static partial void LogSwept(ILogger logger, long count);

    [LoggerMessage(EventId = 3106, EventName = "RedisStoreSweepFailed", Level = LogLevel.Debug, Message = "Expiry sweep failed; the next tick retries.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3107, EventName = "RedisStoreSubscribed", Level = LogLevel.Information, Message = "Redis session store listens for lifecycle events on {Channel}.")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(EventId = 3108, EventName = "RedisStoreSubscriptionFailed", Level = LogLevel.Warning, Message = "Lifecycle event subscription failed; retrying in {Delay}.")]
    private static partial void LogSubscriptionFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 3109, EventName = "RedisStoreBadEvent", Level = LogLevel.Warning, Message = "Ignored a malformed lifecycle event message on {Channel}.")]
    private static partial void LogBadEvent(ILogger logger, string channel);
}
