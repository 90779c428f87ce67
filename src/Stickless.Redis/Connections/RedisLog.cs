using Microsoft.Extensions.Logging;

namespace Stickless.Redis.Connections;

/// <summary>The client's log messages; event ids 1100–1199 belong to the Redis client.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 1100, EventName = "RedisConnected", Level = LogLevel.Information,
        Message = "Connected to Redis {Endpoint} ({Role} connection, {Protocol}).")]
    public static partial void Connected(this ILogger logger, RedisEndpoint endpoint, string role, RedisProtocol protocol);

    [LoggerMessage(EventId = 1101, EventName = "RedisConnectFailed", Level = LogLevel.Warning,
        Message = "Connecting to Redis {Endpoint} ({Role} connection) failed; retrying in {DelayMs} ms.")]
    public static partial void ConnectFailed(this ILogger logger, Exception exception, RedisEndpoint endpoint, string role, long delayMs);

    [LoggerMessage(EventId = 1102, EventName = "RedisConnectionLost", Level = LogLevel.Warning,
        Message = "Lost the Redis connection to {Endpoint} ({Role}); {Pending} commands in flight failed.")]
    public static partial void ConnectionLost(this ILogger logger, Exception exception, RedisEndpoint endpoint, string role, int pending);

    [LoggerMessage(EventId = 1103, EventName = "RedisProtocolError", Level = LogLevel.Error,
        Message = "Redis {Endpoint} sent a malformed reply; the connection is dropped.")]
    public static partial void ProtocolError(this ILogger logger, Exception exception, RedisEndpoint endpoint);

    [LoggerMessage(EventId = 1104, EventName = "RedisUnresponsive", Level = LogLevel.Warning,
        Message = "Redis {Endpoint} has not answered for {WaitedMs} ms; the connection is presumed dead and dropped.")]
    public static partial void Unresponsive(this ILogger logger, RedisEndpoint endpoint, long waitedMs);

    [LoggerMessage(EventId = 1105, EventName = "RedisSubscriberCallbackFailed", Level = LogLevel.Error,
        Message = "A subscriber callback for channel {Channel} threw.")]
    public static partial void SubscriberCallbackFailed(this ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 1106, EventName = "RedisUnexpectedPush", Level = LogLevel.Debug,
        Message = "Ignored an out-of-band push from Redis {Endpoint}: {Kind}.")]
    public static partial void UnexpectedPush(this ILogger logger, RedisEndpoint endpoint, string? kind);

    [LoggerMessage(EventId = 1107, EventName = "RedisScriptReloaded", Level = LogLevel.Debug,
        Message = "Script {Sha1} was not in the server's cache (NOSCRIPT); sent it with EVAL.")]
    public static partial void ScriptReloaded(this ILogger logger, string sha1);
}
