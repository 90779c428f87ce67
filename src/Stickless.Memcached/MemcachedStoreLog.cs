using Microsoft.Extensions.Logging;

namespace Stickless.Memcached;

/// <summary>The store's log messages; event ids 4100–4199 belong to the memcached store.</summary>
internal static partial class MemcachedStoreLog
{
    [LoggerMessage(EventId = 4100, EventName = "MemcachedBackupWriteFailed", Level = LogLevel.Warning,
        Message = "Writing a session's backup copy to memcached {Node} failed; the session has one copy until its next write.")]
    public static partial void BackupWriteFailed(this ILogger logger, Exception exception, string node);

    [LoggerMessage(EventId = 4101, EventName = "MemcachedTouchFailed", Level = LogLevel.Debug,
        Message = "A background touch was not written (the session changed meanwhile, or memcached {Node} failed).")]
    public static partial void TouchFailed(this ILogger logger, Exception? exception, string node);

    [LoggerMessage(EventId = 4102, EventName = "MemcachedRepairedFromBackup", Level = LogLevel.Information,
        Message = "A session missing on memcached {Primary} was served from its backup on {Backup} and copied back.")]
    public static partial void RepairedFromBackup(this ILogger logger, string primary, string backup);

    [LoggerMessage(EventId = 4103, EventName = "MemcachedUndecodableItem", Level = LogLevel.Warning,
        Message = "memcached {Node} holds an item under a session key that is not a Stickless revision-1 item; it is treated as absent.")]
    public static partial void UndecodableItem(this ILogger logger, string node);

    [LoggerMessage(EventId = 4104, EventName = "MemcachedIndexUpdateFailed", Level = LogLevel.Warning,
        Message = "Updating a per-user index on memcached failed; the index is repaired lazily on its next read.")]
    public static partial void IndexUpdateFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4105, EventName = "MemcachedProbeLoopFailed", Level = LogLevel.Error,
        Message = "The memcached probe loop failed; it keeps going.")]
    public static partial void ProbeLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4106, EventName = "MemcachedCommitContention", Level = LogLevel.Warning,
        Message = "A commit gave up after {Attempts} compare-and-set attempts.")]
    public static partial void CommitContention(this ILogger logger, int attempts);
}
