using System.Collections.Frozen;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// When a call may be sent a second time after a failover (Sentinel mode only; once; within the call's own
/// timeout). The rule is "only when we know it did not run, or running it twice is harmless":
/// <list type="bullet">
/// <item>it was never written to a socket (it was queued, or waiting for a connection, when the old one
/// dropped): the server never saw it;</item>
/// <item>the server answered <c>READONLY</c>: a replica refuses a write before executing it, and a script
/// fails at its first write call, having written nothing (a replica cannot write), so nothing ran;</item>
/// <item>it is a plain read (<see cref="IsRead"/>): running it again changes nothing.</item>
/// </list>
/// Anything else that was written and then lost its connection or timed out is <em>not</em> retried: it may
/// have run on the old master before it died (and may or may not have reached a replica). That includes every
/// script, even the store's: a replayed <c>commit.lua</c> would see its own write and answer
/// <c>conflict</c> (a compare-and-set), <c>exists</c> (create-if-absent) or apply an unconditional set a second
/// time with a new version, so the caller could not tell "done" from "refused". Such calls fail with
/// <see cref="RedisConnectionException"/>, and the store answers <see cref="SessionStoreUnavailableException"/>.
/// </summary>
internal static class RedisRetryRule
{
    // Read-only commands with no side effects. Scripts (EVAL, EVALSHA) are never here, even ones that
    // only read, as the client cannot tell.
    private static readonly FrozenSet<string> Reads = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "PING", "ECHO", "TIME", "ROLE", "INFO", "DBSIZE", "EXISTS", "TYPE", "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME",
        "GET", "MGET", "STRLEN", "GETRANGE", "HGET", "HMGET", "HGETALL", "HEXISTS", "HLEN", "HKEYS", "HVALS",
        "SMEMBERS", "SISMEMBER", "SCARD", "ZSCORE", "ZCARD", "ZRANGE", "ZRANGEBYSCORE", "ZCOUNT", "LRANGE", "LLEN", "SCAN");

    /// <summary>Whether <paramref name="command"/> only reads.</summary>
    public static bool IsRead(string command) => Reads.Contains(command);

    /// <summary>
    /// Whether <paramref name="first"/> (the first of the operations sent together; the others follow it on
    /// the same socket) may be sent again after it failed with a connection error.
    /// </summary>
    public static bool MayRetryAfterConnectionError(RedisOperation first) => first.WrittenAt == 0 || IsRead(first.Command);

    /// <summary>
    /// Whether <paramref name="reply"/> is a replica's refusal to write. Redis 7 passes the code of an error a
    /// script's <c>redis.call</c> raised through as the script's own; older servers prefix it with
    /// <c>ERR Error running script</c>, so the message is searched too.
    /// </summary>
    public static bool IsReadOnly(in RespValue reply) =>
        reply.IsError && reply.ErrorMessage is { } message
        && (message.StartsWith("READONLY", StringComparison.Ordinal)
            || message.Contains("-READONLY", StringComparison.Ordinal)
            || message.Contains("You can't write against a read only replica", StringComparison.Ordinal));
}
