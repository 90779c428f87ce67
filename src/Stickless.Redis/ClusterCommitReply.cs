using Stickless.Redis.Resp;

namespace Stickless.Redis;

/// <summary>
/// What <c>commit.lua</c> answers with the cluster flag <c>x</c>:
/// <c>{'okx', now, expireAt, abs, expiryMoved, oldPrincipal|'', principal|'', N, name, version (N pairs), field, value…}</c>;
/// the trailing fields (the whole frozen hash) come only with a rotation.
/// </summary>
internal sealed class ClusterCommitReply
{
    private const int HeaderLength = 8;

    private ClusterCommitReply(CommitResult result, long now, long expireAt, long absolute, bool expiryMoved, string? oldPrincipal, string? principal, ReadOnlyMemory<byte>[] fields)
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

    /// <summary>After a rotation's freeze: the hash as field, value, … (without the <c>frozen</c> mark).</summary>
    public ReadOnlyMemory<byte>[] Fields { get; }

    /// <exception cref="SessionStoreUnavailableException">The reply is malformed.</exception>
    public static ClusterCommitReply Read(RespValue reply)
    {
        if (reply.Count < HeaderLength)
        {
            throw Malformed($"{reply.Count} items");
        }

        var pairs = reply[7].GetInt64();
        var fieldsStart = HeaderLength + (2 * pairs);
        if (pairs < 0 || fieldsStart > reply.Count || (reply.Count - fieldsStart) % 2 != 0)
        {
            throw Malformed($"{pairs} versions in {reply.Count} items");
        }

        var versions = new Dictionary<string, long>((int)pairs, StringComparer.Ordinal);
        for (var i = HeaderLength; i < fieldsStart; i += 2)
        {
            versions[reply[i].GetString() ?? throw Malformed("a null attribute name")] = reply[i + 1].GetInt64();
        }

        var fields = new ReadOnlyMemory<byte>[reply.Count - fieldsStart];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = reply[(int)fieldsStart + i].GetBytes() ?? throw Malformed("a null hash field");
        }

        return new ClusterCommitReply(
            CommitResult.Committed(versions),
            reply[1].GetInt64(),
            reply[2].GetInt64(),
            reply[3].GetInt64(),
            reply[4].GetInt64() == 1,
            NullIfEmpty(reply[5].GetString()),
            NullIfEmpty(reply[6].GetString()),
            fields);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static SessionStoreUnavailableException Malformed(string what) =>
        new($"Redis answered a cluster commit with a malformed reply: {what}.");
}
