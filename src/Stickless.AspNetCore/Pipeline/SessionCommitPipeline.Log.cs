using Microsoft.Extensions.Logging;

namespace Stickless.AspNetCore;

internal sealed partial class SessionCommitPipeline
{
    [LoggerMessage(EventId = 250, EventName = "CommitsCoalesced", Level = LogLevel.Debug, Message = "{Count} requests' change sets of one session went to the store in one call.")]
    private static partial void LogCoalesced(ILogger logger, int count);

    [LoggerMessage(EventId = 251, EventName = "MergedCommitRefused", Level = LogLevel.Debug, Message = "The store refused a merged commit of {Count} change sets (an operation on an attribute of the wrong shape); they are sent one by one.")]
    private static partial void LogMergedCommitRefused(ILogger logger, int count);

    [LoggerMessage(EventId = 252, EventName = "CommitQueueTimedOut", Level = LogLevel.Warning, Message = "A commit waited {Timeout} behind its session's earlier commits on this node; the request fails like a store timeout.")]
    private static partial void LogQueueTimedOut(ILogger logger, TimeSpan timeout);
}
