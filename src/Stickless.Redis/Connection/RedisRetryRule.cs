using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>
/// Which failures prove that Redis did not run a command, so that sending it again cannot run it twice. Only
/// those are retried (within the store call's timeout); a script that may have run (written to a socket, then
/// the connection dropped or the reply timed out) is never sent again: a replayed commit would meet its own
/// write and answer conflict, exists, or apply an unconditional set twice.
/// </summary>
internal static class RedisRetryRule
{
    // Error replies that come before a command (or a script's first write) does anything. A script that meets
    // READONLY or NOREPLICAS does so at its first write: the store's scripts check everything before writing.
    private static readonly string[] NotAppliedErrors =
        ["READONLY", "MASTERDOWN", "LOADING", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "BUSY", "MOVED", "ASK", "NOSCRIPT"];

    /// <summary>True when <paramref name="exception"/> proves that the command never ran.</summary>
    public static bool ProvesNotApplied(Exception exception) => exception switch
    {
        // Never written: queued, or in StackExchange.Redis's backlog, when the connection failed or no server
        // could take it (no master during a failover: "No connection is active/available").
        RedisConnectionException connection => connection.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog
            || (connection.FailureType == ConnectionFailureType.UnableToResolvePhysicalConnection && connection.CommandStatus != CommandStatus.Sent),
        RedisTimeoutException timeout => timeout.Commandstatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog,
        RedisServerException server => IsNotAppliedError(server.Message),
        _ => false,
    };

    /// <summary>True for an error reply whose first word is one that Redis sends before running anything.</summary>
    public static bool IsNotAppliedError(string message)
    {
        var end = message.IndexOf(' ', StringComparison.Ordinal);
        var code = end < 0 ? message : message[..end];
        return Array.IndexOf(NotAppliedErrors, code) >= 0;
    }
}
