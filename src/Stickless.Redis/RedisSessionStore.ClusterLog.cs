using Microsoft.Extensions.Logging;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    [LoggerMessage(EventId = 3150, EventName = "RedisStoreClusterFollowUpFailed", Level = LogLevel.Warning,
        Message = "Redis Cluster: the index update after a {Operation} failed; the session itself is committed, readers tolerate the stale index.")]
    private static partial void LogClusterFollowUpFailed(ILogger logger, string operation, Exception exception);
}
