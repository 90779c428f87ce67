using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Stickless.Redis;

internal sealed partial class RedisInvalidationFeed
{
    [LoggerMessage(EventId = 3500, EventName = "RedisInvalidationsSubscribed", Level = LogLevel.Information, Message = "Listening for session invalidations on {Channel}.")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(EventId = 3501, EventName = "RedisInvalidationSubscribeFailed", Level = LogLevel.Warning, Message = "Subscribing to {Channel} failed; the next probe tries again, and near caches stay bypassed meanwhile.")]
    private static partial void LogSubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 3502, EventName = "RedisInvalidationChannelSilent", Level = LogLevel.Warning, Message = "No probe came back on {Channel} within {SilenceLimit}: near caches are told the channel is down.")]
    private static partial void LogChannelSilent(ILogger logger, string channel, TimeSpan silenceLimit);

    [LoggerMessage(EventId = 3503, EventName = "RedisInvalidationMalformed", Level = LogLevel.Warning, Message = "A malformed message arrived on {Channel}: near caches flush their copies.")]
    private static partial void LogMalformed(ILogger logger, string channel);

    [LoggerMessage(EventId = 3504, EventName = "RedisInvalidationConnectionFailed", Level = LogLevel.Warning, Message = "A connection of the multiplexer carrying {Channel} failed ({FailureType}, {EndPoint}): near caches are told the channel is down.")]
    private static partial void LogConnectionFailed(ILogger logger, string channel, ConnectionFailureType failureType, string? endPoint);

    [LoggerMessage(EventId = 3505, EventName = "RedisInvalidationProbeFailed", Level = LogLevel.Debug, Message = "A probe of {Channel} could not be sent.")]
    private static partial void LogProbeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 3506, EventName = "RedisInvalidationChannelDown", Level = LogLevel.Information, Message = "The invalidation channel {Channel} is down ({Reason}): near caches flush and read the store until the next probe comes back.")]
    private static partial void LogChannelDown(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 3507, EventName = "RedisInvalidationListenerFailed", Level = LogLevel.Error, Message = "A near cache failed while handling a message of {Channel}: it is told the channel is down.")]
    private static partial void LogListenerFailed(ILogger logger, string channel, Exception exception);
}
