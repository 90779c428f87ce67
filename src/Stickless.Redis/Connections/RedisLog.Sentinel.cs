using Microsoft.Extensions.Logging;

namespace Stickless.Redis.Connections;

/// <summary>Sentinel and failover messages: event ids 1110–1129.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 1110, EventName = "RedisSentinelResolved", Level = LogLevel.Information,
        Message = "Sentinel {Sentinel} reports {Master} as the master of '{ServiceName}'.")]
    public static partial void SentinelResolved(this ILogger logger, string serviceName, RedisEndpoint master, RedisEndpoint sentinel);

    [LoggerMessage(EventId = 1111, EventName = "RedisSentinelUnavailable", Level = LogLevel.Warning,
        Message = "Sentinel {Sentinel} could not resolve the master of '{ServiceName}': {Reason}")]
    public static partial void SentinelUnavailable(this ILogger logger, RedisEndpoint sentinel, string serviceName, string reason);

    [LoggerMessage(EventId = 1112, EventName = "RedisSentinelsDiscovered", Level = LogLevel.Information,
        Message = "Learnt {Count} more sentinels of '{ServiceName}'; now asking {Sentinels}.")]
    public static partial void SentinelsDiscovered(this ILogger logger, int count, string serviceName, string sentinels);

    [LoggerMessage(EventId = 1113, EventName = "RedisNotMaster", Level = LogLevel.Warning,
        Message = "Redis {Endpoint} is not the master of '{ServiceName}' (ROLE: {Role}); resolving again.")]
    public static partial void NotMaster(this ILogger logger, RedisEndpoint endpoint, string serviceName, string role);

    [LoggerMessage(EventId = 1114, EventName = "RedisSwitchMaster", Level = LogLevel.Warning,
        Message = "Sentinel reports that the master of '{ServiceName}' is now {Master}; reconnecting.")]
    public static partial void SwitchMaster(this ILogger logger, string serviceName, RedisEndpoint master);

    [LoggerMessage(EventId = 1115, EventName = "RedisSentinelSubscribed", Level = LogLevel.Information,
        Message = "Listening for +switch-master of '{ServiceName}' on sentinel {Sentinel}.")]
    public static partial void SentinelSubscribed(this ILogger logger, string serviceName, RedisEndpoint sentinel);

    [LoggerMessage(EventId = 1116, EventName = "RedisReadOnlyReply", Level = LogLevel.Warning,
        Message = "Redis {Endpoint} answered {Command} with READONLY: it is a replica now; resolving the master again.")]
    public static partial void ReadOnlyReply(this ILogger logger, RedisEndpoint endpoint, string command);

    [LoggerMessage(EventId = 1117, EventName = "RedisRetryAfterFailover", Level = LogLevel.Information,
        Message = "Retrying {Command} once on the new master ({Reason}).")]
    public static partial void RetryAfterFailover(this ILogger logger, string command, string reason);
}
