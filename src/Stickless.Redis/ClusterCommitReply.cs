using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>
/// What <c>commit.lua</c> answers with the cluster flag <c>x</c>:
/// <c>{'okx', now, expireAt, abs, expiryMoved, oldPrincipal|'', principal|'', S, name, version (S pairs), O, name, version, value (O triples), field, value…}</c>;
/// the trailing fields (the new session's whole hash) come only with a rotation.
/// </summary>
internal sealed class ClusterCommitReply
{
    private const int HeaderLength = 9; // up to and with the operation count

    private ClusterCommitReply(CommitResult result, long now, long expireAt, long absolute, bool expiryMoved, string? oldPrincipal, string? principal, RedisValue[] fields)
    {
        Result = result;
        Now = now;
        ExpireAt = expireAt;
        Absolute = absolute;
        ExpiryMoved = expiryMoved;
        OldPrincipal = oldPrincipal;
        Principal = principal;
        Fields = fields;
    }

    /// <summary>The committed result with every new attribute version.</summary>
    public CommitResult Result { get; }

    /// <summary>The server's time of the commit, unix ms.</summary>
    public long Now { get; }

    /// <summary>The session's expiry, unix ms: min(last + idle, abs).</summary>
    public long ExpireAt { get; }

    /// <summary>The session's absolute expiry, unix ms.</summary>
    public long Absolute { get; }

    /// <summary>True when the commit moved the expiry (create, touch, rotation).</summary>
    public bool ExpiryMoved { get; }

    public string? OldPrincipal { get; }

    public string? Principal { get; }

    /// <summary>After a rotation's first step: the new session's hash as field, value, ….</summary>
    public RedisValue[] Fields { get; }

    /// <exception cref="SessionStoreUnavailableException">The reply is malformed.</exception>
    public static ClusterCommitReply Read(RedisResult[] items)
    {
        if (items.Length < HeaderLength)
        {
            throw RedisReply.Malformed($"a cluster commit of {items.Length} items");
        }

        var next = 7; // the version count follows okx, now, expireAt, abs, expiryMoved and the two principals
        var result = RedisSessionStore.ReadResults(items, ref next, "a cluster commit");
        if ((items.Length - next) % 2 != 0)
        {
            throw RedisReply.Malformed($"a cluster commit whose hash has an odd count ({items.Length - next})");
        }

        var fields = new RedisValue[items.Length - next];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = RedisReply.Bytes(items[next + i], "hash field") ?? throw RedisReply.Malformed("a null hash field");
        }

        return new ClusterCommitReply(
            result,
            RedisReply.Int64(items[1], "time"),
            RedisReply.Int64(items[2], "expiry"),
            RedisReply.Int64(items[3], "absolute expiry"),
            RedisReply.Int64(items[4], "expiry moved") == 1,
            NullIfEmpty(RedisReply.String(items[5], "old principal")),
            NullIfEmpty(RedisReply.String(items[6], "principal")),
            fields);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
