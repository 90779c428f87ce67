using Microsoft.Extensions.Logging;

namespace Stickless;

public sealed partial class InMemorySessionStore
{
    [LoggerMessage(EventId = 120, EventName = "InMemorySweptExpired", Level = LogLevel.Debug, Message = "Removed {Removed} expired sessions; {Remaining} remain.")]
    private static partial void LogSwept(ILogger logger, int removed, int remaining);

    [LoggerMessage(EventId = 121, EventName = "InMemorySweepFailed", Level = LogLevel.Error, Message = "The in-memory session expiry sweep failed; it runs again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 122, EventName = "InMemoryRenameCollision", Level = LogLevel.Warning, Message = "A session id rotation chose an id that is already in use; nothing was changed.")]
    private static partial void LogRenameCollision(ILogger logger);
}
