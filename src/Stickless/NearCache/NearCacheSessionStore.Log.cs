using Microsoft.Extensions.Logging;

namespace Stickless;

public sealed partial class NearCacheSessionStore
{
    [LoggerMessage(EventId = 150, EventName = "NearCacheChannelUp", Level = LogLevel.Information,
        Message = "The {Store} store's invalidation channel is up: the near cache serves copies.")]
    private static partial void LogChannelUp(ILogger logger, string store);

    [LoggerMessage(EventId = 151, EventName = "NearCacheChannelDown", Level = LogLevel.Warning,
        Message = "The {Store} store's invalidation channel is down: the near cache dropped its {Copies} copies and reads the store until the channel is proven again.")]
    private static partial void LogChannelDown(ILogger logger, string store, long copies);

    [LoggerMessage(EventId = 152, EventName = "NearCacheTrimmed", Level = LogLevel.Debug,
        Message = "The near cache held {Bytes} bytes, over its bound of {MaxBytes}: it dropped its {Dropped} least recently used copies.")]
    private static partial void LogTrimmed(ILogger logger, long bytes, long maxBytes, int dropped);
}
