using Microsoft.Extensions.Logging;

namespace Stickless.Memcached.Connections;

/// <summary>The client's log messages; event ids 4000–4099 belong to the memcached client.</summary>
internal static partial class MemcachedLog
{
    [LoggerMessage(EventId = 4000, EventName = "MemcachedConnected", Level = LogLevel.Information,
        Message = "Connected to memcached {Node} (version {Version}, item_size_max {ItemSizeMax} bytes, up {UptimeSeconds} s).")]
    public static partial void Connected(this ILogger logger, string node, string version, long itemSizeMax, long uptimeSeconds);

    [LoggerMessage(EventId = 4001, EventName = "MemcachedNodeDown", Level = LogLevel.Warning,
        Message = "memcached {Node} is marked down ({Reason}); its keys are served by their backup node until it is probed back.")]
    public static partial void NodeDown(this ILogger logger, Exception? exception, string node, string reason);

    [LoggerMessage(EventId = 4002, EventName = "MemcachedNodeReadmittedRestarted", Level = LogLevel.Information,
        Message = "memcached {Node} is back after {DownSeconds:F1} s; it restarted meanwhile (up {UptimeSeconds} s), so it holds nothing from before and is trusted without a flush.")]
    public static partial void ReadmittedRestarted(this ILogger logger, string node, double downSeconds, long uptimeSeconds);

    [LoggerMessage(EventId = 4003, EventName = "MemcachedNodeReadmittedFlushed", Level = LogLevel.Warning,
        Message = "memcached {Node} is back after {DownSeconds:F1} s without having restarted (up {UptimeSeconds} s); it was flushed before use, because what it holds may be older than what its backups received.")]
    public static partial void ReadmittedFlushed(this ILogger logger, string node, double downSeconds, long uptimeSeconds);

    [LoggerMessage(EventId = 4004, EventName = "MemcachedProtocolError", Level = LogLevel.Error,
        Message = "memcached {Node} sent a reply that cannot be trusted; the connection is dropped and {Pending} calls in flight failed.")]
    public static partial void ProtocolError(this ILogger logger, Exception exception, string node, int pending);

    [LoggerMessage(EventId = 4005, EventName = "MemcachedConnectionLost", Level = LogLevel.Warning,
        Message = "Lost the connection to memcached {Node}; {Pending} calls in flight failed.")]
    public static partial void ConnectionLost(this ILogger logger, Exception exception, string node, int pending);

    [LoggerMessage(EventId = 4006, EventName = "MemcachedUnresponsive", Level = LogLevel.Warning,
        Message = "memcached {Node} has not answered for {WaitedMs} ms; the connection is presumed dead and dropped.")]
    public static partial void Unresponsive(this ILogger logger, string node, long waitedMs);

    [LoggerMessage(EventId = 4007, EventName = "MemcachedProbeFailed", Level = LogLevel.Debug,
        Message = "Probing memcached {Node} failed; it stays down.")]
    public static partial void ProbeFailed(this ILogger logger, Exception exception, string node);

    [LoggerMessage(EventId = 4008, EventName = "MemcachedReadmissionRefused", Level = LogLevel.Error,
        Message = "memcached {Node} is reachable again but could not be flushed ({Reason}); it stays down, because what it holds may be stale.")]
    public static partial void ReadmissionRefused(this ILogger logger, string node, string reason);

    [LoggerMessage(EventId = 4010, EventName = "MemcachedNodeReadmittedUnchanged", Level = LogLevel.Information,
        Message = "memcached {Node} is back after {DownSeconds:F1} s; no app node wrote any of its sessions elsewhere meanwhile, so it is used again without a flush.")]
    public static partial void ReadmittedUnchanged(this ILogger logger, string node, double downSeconds);

    [LoggerMessage(EventId = 4009, EventName = "MemcachedServerError", Level = LogLevel.Warning,
        Message = "memcached {Node} answered {Status} to {Command}: {Text}.")]
    public static partial void ServerError(this ILogger logger, string node, string status, string command, string? text);
}
