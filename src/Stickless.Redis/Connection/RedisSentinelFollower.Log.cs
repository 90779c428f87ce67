using System.Net;
using Microsoft.Extensions.Logging;

namespace Stickless.Redis.Connection;

internal sealed partial class RedisSentinelFollower
{
    [LoggerMessage(EventId = 3130, EventName = "RedisStoreSentinelMasterMoved", Level = LogLevel.Warning,
        Message = "Sentinel names {Master} as the master of '{Service}' (was {Previous}; {Reason}); the store's connections move to it.")]
    private static partial void LogMoved(ILogger logger, string service, EndPoint master, EndPoint? previous, string reason);

    [LoggerMessage(EventId = 3131, EventName = "RedisStoreSentinelMasterSuspected", Level = LogLevel.Information,
        Message = "Redis master {Master} of '{Service}' is failing ({Reason}); asking the sentinels every {IntervalMs} ms until it answers or they name another.")]
    private static partial void LogSuspected(ILogger logger, EndPoint master, string service, string reason, long intervalMs);

    [LoggerMessage(EventId = 3132, EventName = "RedisStoreSentinelAskFailed", Level = LogLevel.Debug,
        Message = "The sentinels {Sentinels} could not be asked for the master of '{Service}'; asking again.")]
    private static partial void LogAskFailed(ILogger logger, string sentinels, string service, Exception exception);

    [LoggerMessage(EventId = 3133, EventName = "RedisStoreSentinelSubscribeFailed", Level = LogLevel.Warning,
        Message = "Subscribing to +switch-master on the sentinels {Sentinels} failed; a failing master still makes the store ask them.")]
    private static partial void LogSubscribeFailed(ILogger logger, string sentinels, Exception exception);
}
