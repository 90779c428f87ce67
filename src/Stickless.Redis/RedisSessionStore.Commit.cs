using Stickless.Redis.Resp;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One EVALSHA of <c>commit.lua</c>. A change set that is both new and renamed is simply created under
    /// the new id (the old one never reached the store). A commit that reaches a grace alias is applied to
    /// the session the alias names.
    /// </remarks>
    public async ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var id = changes.IsNew && changes.NewSessionId is not null ? changes.NewSessionId : changes.SessionId;
        var newId = changes.IsNew ? null : changes.NewSessionId;
        ThrowIfMalformedId(id, nameof(changes));
        if (newId is not null)
        {
            ThrowIfMalformedId(newId, nameof(changes));
        }

        if (await IsClusterAsync(cancellationToken).ConfigureAwait(false))
        {
            return await CommitInClusterAsync(changes, id, newId, cancellationToken).ConfigureAwait(false); // RedisSessionStore.Cluster.cs
        }

        for (var hop = 0; hop <= MaxAliasHops; hop++)
        {
            var (keys, args) = BuildCommit(changes, id, newId);
            var (reply, acknowledged) = await EvalWriteAsync(RedisSessionScripts.Commit, keys, args, cancellationToken).ConfigureAwait(false);
            if (!reply.IsAggregate || reply.Count < 1)
            {
                throw Malformed("commit expected an array");
            }

            try
            {
                switch (reply[0].GetString())
                {
                    case "ok":
                        var committed = ReadCommitted(reply);
                        EnsureReplicated(acknowledged, newId is null ? "commit" : "rotation");
                        return committed;
                    case "notfound":
                        return CommitResult.NotFound;
                    case "exists":
                        return CommitResult.AlreadyExists;
                    case "conflict":
                        return ReadConflict(reply);
                    case "moved":
                        id = ReadMovedTarget(reply);
                        continue;
                    default:
                        throw Malformed($"commit status '{reply[0].GetString()}'");
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new SessionStoreUnavailableException("Redis answered the commit script with a malformed reply.", ex);
            }
        }

        return CommitResult.NotFound;
    }

    private (ReadOnlyMemory<byte>[] Keys, ReadOnlyMemory<byte>[] Args) BuildCommit(SessionChangeSet changes, string id, string? newId)
    {
        Span<char> flagBuffer = stackalloc char[6];
        var f = 0;
        if (changes.IsNew) { flagBuffer[f++] = 'n'; }
        if (changes.Touch) { flagBuffer[f++] = 't'; }
        if (changes.ClearAttributes) { flagBuffer[f++] = 'c'; }
        if (changes.SetsPrincipal) { flagBuffer[f++] = changes.Principal is null ? 'u' : 'p'; }
        if (newId is not null) { flagBuffer[f++] = 'r'; }

        ReadOnlyMemory<byte>[] keys = newId is null
            ? [_keys.Session(id), _keys.Expiry]
            : [_keys.Session(id), _keys.Expiry, _keys.Session(newId)];

        var args = new ReadOnlyMemory<byte>[10 + (changes.Attributes.Count * 4)];
        args[0] = RedisArgs.Utf8(new string(flagBuffer[..f]));
        args[1] = RedisArgs.Int(changes.IsNew ? RedisArgs.Milliseconds(changes.IdleTimeout) : 0);
        args[2] = RedisArgs.Int(changes.IsNew ? RedisArgs.Milliseconds(changes.AbsoluteExpiry - changes.Now) : 0);
        args[3] = RedisArgs.Utf8(changes.SetsPrincipal ? changes.Principal : null);
        args[4] = RedisArgs.Int(newId is null ? 0 : RedisArgs.Milliseconds(changes.RotationGrace));
        args[5] = RedisArgs.Utf8(id);
        args[6] = RedisArgs.Utf8(newId);
        args[7] = _keys.UserPrefix;
        args[8] = _options.PublishEvents ? _keys.Channel : RedisArgs.Empty;
        args[9] = RedisArgs.Int(changes.Attributes.Count);
        var i = 10;
        foreach (var (name, change) in changes.Attributes)
        {
            args[i++] = RedisArgs.Utf8(name);
            args[i++] = change.IsRemoval ? RedisArgs.Remove : RedisArgs.Set;
            args[i++] = change.ExpectedVersion is { } expected ? RedisArgs.Int(expected) : RedisArgs.Empty;
            args[i++] = change.IsRemoval ? RedisArgs.Empty : change.Value;
        }

        return (keys, args);
    }

    private static CommitResult ReadCommitted(RespValue reply)
    {
        if (reply.Count < 2 || reply.Count % 2 != 0)
        {
            throw Malformed($"a committed reply of {reply.Count} items");
        }

        var versions = new Dictionary<string, long>((reply.Count - 2) / 2, StringComparer.Ordinal);
        for (var i = 2; i < reply.Count; i += 2)
        {
            versions[reply[i].GetString() ?? throw Malformed("a null attribute name")] = reply[i + 1].GetInt64();
        }

        return CommitResult.Committed(versions);
    }

    private static CommitResult ReadConflict(RespValue reply)
    {
        if (reply.Count < 4 || (reply.Count - 1) % 3 != 0)
        {
            throw Malformed($"a conflict reply of {reply.Count} items");
        }

        var conflicts = new Dictionary<string, SessionAttribute?>((reply.Count - 1) / 3, StringComparer.Ordinal);
        for (var i = 1; i < reply.Count; i += 3)
        {
            var name = reply[i].GetString() ?? throw Malformed("a null attribute name");
            var version = reply[i + 1].GetInt64();
            var value = reply[i + 2].GetBytes();
            conflicts[name] = version > 0 && value is not null ? new SessionAttribute(value, version) : null;
        }

        return CommitResult.Conflict(conflicts);
    }

    private static void ThrowIfMalformedId(string? id, string paramName)
    {
        if (id is null || !SessionIds.IsWellFormed(id))
        {
            throw new ArgumentException("A session id must be one this library issues (43 base64url characters, see SessionIds).", paramName);
        }
    }
}
