using Microsoft.Extensions.Logging;

namespace Stickless.AspNetCore;

/// <summary>The middleware's log messages. Session ids are never logged: only handles (digests).</summary>
internal static partial class SticklessLog
{
    [LoggerMessage(EventId = 200, EventName = "SessionCreated", Level = LogLevel.Debug, Message = "Session {Handle} was created in the {Store} store.")]
    public static partial void SessionCreated(ILogger logger, string handle, string store);

    [LoggerMessage(EventId = 201, EventName = "SessionLoadFailed", Level = LogLevel.Error, Message = "Loading the session from the {Store} store failed; failure policy {Policy}.")]
    public static partial void LoadFailed(ILogger logger, string store, SessionFailurePolicy policy, Exception exception);

    [LoggerMessage(EventId = 202, EventName = "SessionCommitFailed", Level = LogLevel.Error, Message = "Committing session {Handle} to the {Store} store failed; failure policy {Policy}.")]
    public static partial void CommitFailed(ILogger logger, string handle, string store, SessionFailurePolicy policy, Exception exception);

    [LoggerMessage(EventId = 203, EventName = "SessionGoneOnCommit", Level = LogLevel.Warning, Message = "Session {Handle} was deleted or expired before this request's changes were committed; the changes were dropped and the client's id cleared.")]
    public static partial void SessionGoneOnCommit(ILogger logger, string handle);

    [LoggerMessage(EventId = 204, EventName = "UnknownSessionId", Level = LogLevel.Debug, Message = "The session id presented via {Resolver} is unknown (expired, deleted or never issued); a new session starts.")]
    public static partial void UnknownSessionId(ILogger logger, string resolver);

    [LoggerMessage(EventId = 205, EventName = "MalformedSessionId", Level = LogLevel.Debug, Message = "A malformed or oversized session id was presented via {Resolver}; a new session starts.")]
    public static partial void MalformedSessionId(ILogger logger, string resolver);

    [LoggerMessage(EventId = 206, EventName = "AttributeUndecodable", Level = LogLevel.Warning, Message = "Attribute {Key} of session {Handle} cannot be decoded as {Type}; it reads as absent.")]
    public static partial void AttributeUndecodable(ILogger logger, string key, string handle, string type);

    [LoggerMessage(EventId = 207, EventName = "SessionSignedIn", Level = LogLevel.Debug, Message = "Session {Handle} signed in; the id was rotated.")]
    public static partial void SignedIn(ILogger logger, string handle);

    [LoggerMessage(EventId = 208, EventName = "SessionIdRenewed", Level = LogLevel.Debug, Message = "Session {Handle} got a new id.")]
    public static partial void IdRenewed(ILogger logger, string handle);

    [LoggerMessage(EventId = 209, EventName = "SessionInvalidated", Level = LogLevel.Debug, Message = "Session {Handle} was invalidated.")]
    public static partial void Invalidated(ILogger logger, string handle);

    [LoggerMessage(EventId = 210, EventName = "UpdateConflict", Level = LogLevel.Debug, Message = "Compare-and-set of attribute {Key} in session {Handle} conflicted (attempt {Attempt}); retrying with the stored value.")]
    public static partial void UpdateConflict(ILogger logger, string key, string handle, int attempt);

    [LoggerMessage(EventId = 211, EventName = "SessionIdCollision", Level = LogLevel.Warning, Message = "A new session id was already taken in the {Store} store; another id is drawn.")]
    public static partial void IdCollision(ILogger logger, string store);

    [LoggerMessage(EventId = 212, EventName = "UnexpectedCommitStatus", Level = LogLevel.Warning, Message = "The {Store} store answered {Status} to a change set of session {Handle} that expected none; the changes were dropped.")]
    public static partial void UnexpectedCommitStatus(ILogger logger, string store, CommitStatus status, string handle);

    [LoggerMessage(EventId = 213, EventName = "StoreUnavailableInRequest", Level = LogLevel.Error, Message = "The session store failed during the request; answering 503.")]
    public static partial void StoreUnavailableInRequest(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 214, EventName = "ChangesDiscardedOnException", Level = LogLevel.Debug, Message = "The request failed with an exception; the uncommitted changes of session {Handle} were discarded.")]
    public static partial void ChangesDiscarded(ILogger logger, string handle);

    [LoggerMessage(EventId = 215, EventName = "ResponseReplacedBy503", Level = LogLevel.Warning, Message = "The session commit failed as the response was starting; the handler's response was replaced by an empty 503.")]
    public static partial void ResponseReplaced(ILogger logger);

    [LoggerMessage(EventId = 216, EventName = "StoreCallTimedOut", Level = LogLevel.Warning, Message = "The {Store} store did not answer {Operation} within {Timeout}.")]
    public static partial void StoreCallTimedOut(ILogger logger, string store, string operation, TimeSpan timeout);

    [LoggerMessage(EventId = 217, EventName = "UpdateGaveUp", Level = LogLevel.Warning, Message = "Compare-and-set of attribute {Key} in session {Handle} conflicted on all {Attempts} attempts; the update gives up and nothing was written.")]
    public static partial void UpdateGaveUp(ILogger logger, string key, string handle, int attempts);
    [LoggerMessage(EventId = 220, EventName = "StoreCircuitOpened", Level = LogLevel.Error, Message = "The {Store} session store keeps failing: its calls are refused for {BreakDuration}, then one probe call tries it again.")]
    public static partial void CircuitOpened(ILogger logger, string store, TimeSpan breakDuration);

    [LoggerMessage(EventId = 221, EventName = "StoreCircuitHalfOpened", Level = LogLevel.Information, Message = "Probing the {Store} session store with one call.")]
    public static partial void CircuitHalfOpened(ILogger logger, string store);

    [LoggerMessage(EventId = 222, EventName = "StoreCircuitClosed", Level = LogLevel.Information, Message = "The {Store} session store answers again: its calls flow.")]
    public static partial void CircuitClosed(ILogger logger, string store);
}
