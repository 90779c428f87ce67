using StackExchange.Redis;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One EVALSHA of <c>commit.lua</c>. A change set that is both new and renamed is simply created under
    /// the new id (the old one never reached the store). A commit that reaches a grace alias is applied to
    /// the session the alias names. A commit that changes the principal or the id names the per-user index
    /// it touches; when the session turns out to hold another principal than this node last saw, the script
    /// writes nothing and says which, and the commit is sent once more (two round trips, rarely).
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

        using var call = StartCall(cancellationToken);
        try
        {
            var link = await ConnectedAsync(call).ConfigureAwait(false);
            return link.IsCluster == true
                ? await CommitInClusterAsync(call, changes, id, newId).ConfigureAwait(false) // RedisSessionStore.Cluster.cs
                : await CommitStandaloneAsync(call, changes, id, newId).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, call))
        {
            throw Unavailable(ex, call);
        }
    }

    private async Task<CommitResult> CommitStandaloneAsync(RedisStoreCall call, SessionChangeSet changes, string id, string? newId)
    {
        var believed = changes.IsNew ? null : _principals.Get(id);
        var principalRetries = 0;
        for (var hop = 0; hop <= MaxAliasHops;)
        {
            var (keys, args) = BuildCommit(changes, id, newId, believed);
            var (reply, acknowledged) = await EvalWriteAsync(call, RedisSessionScripts.Commit, keys, args).ConfigureAwait(false);
            var items = RedisReply.Items(reply, "commit");
            var status = items.Length > 0 ? RedisReply.String(items[0], "commit status") : null;
            switch (status)
            {
                case "ok":
                    var committed = ReadCommitted(items);

                    var finalId = newId ?? id;
                    if (newId is not null)
                    {
                        _principals.Forget(id);
                    }

                    _principals.Remember(finalId, changes.SetsPrincipal ? changes.Principal : believed); // a wrong guess costs a round trip, never a wrong index
                    EnsureReplicated(acknowledged, newId is null ? "commit" : "rotation");
                    return committed;
                case "notfound":
                    _principals.Forget(id);
                    return CommitResult.NotFound;
                case "exists":
                    return CommitResult.AlreadyExists;
                case "conflict":
                    return ReadConflict(items);
                case "moved":
                    id = ReadAliasTarget(items);
                    believed = _principals.Get(id);
                    hop++;
                    continue;
                case "principal" when items.Length == 2 && ++principalRetries <= MaxAliasHops && RedisReply.String(items[1], "principal") is { Length: > 0 } actual && actual != believed:
                    // Nothing was written: the session holds another principal than this node saw; name its index.
                    believed = actual;
                    LogPrincipalRetry(_logger);
                    continue;
                default:
                    throw Malformed($"commit status '{status}'");
            }
        }

        return CommitResult.NotFound;
    }

    /// <summary>The keys and arguments of <c>commit.lua</c> (see its header); <paramref name="believed"/> is the principal this node last saw on the session.</summary>
    internal (RedisKey[] Keys, RedisValue[] Args) BuildCommit(SessionChangeSet changes, string id, string? newId, string? believed)
    {
        var session = _keys.Session(id);
        RedisKey[] keys =
        [
            session,
            _keys.Expiry,
            newId is null ? session : _keys.Session(newId),
            believed is null ? session : _keys.User(believed),
            changes.SetsPrincipal && changes.Principal is not null ? _keys.User(changes.Principal) : session,
        ];
        return (keys, BuildCommitArgs(changes, id, newId, cluster: false));
    }

    private RedisValue[] BuildCommitArgs(SessionChangeSet changes, string id, string? newId, bool cluster)
    {
        Span<char> flagBuffer = stackalloc char[7];
        var f = 0;
        if (changes.IsNew) { flagBuffer[f++] = 'n'; }
        if (changes.Touch) { flagBuffer[f++] = 't'; }
        if (changes.ClearAttributes) { flagBuffer[f++] = 'c'; }
        if (changes.SetsPrincipal) { flagBuffer[f++] = changes.Principal is null ? 'u' : 'p'; }
        if (newId is not null) { flagBuffer[f++] = 'r'; }
        if (cluster) { flagBuffer[f++] = 'x'; }

        var args = new RedisValue[10 + (changes.Attributes.Count * 4)];
        args[0] = new string(flagBuffer[..f]);
        args[1] = changes.IsNew ? RedisArgs.Milliseconds(changes.IdleTimeout) : 0;
        args[2] = changes.IsNew ? RedisArgs.Milliseconds(changes.AbsoluteExpiry - changes.Now) : 0;
        args[3] = RedisArgs.Text(changes.SetsPrincipal ? changes.Principal : null);
        args[4] = newId is null ? 0 : RedisArgs.Milliseconds(changes.RotationGrace);
        args[5] = id;
        args[6] = RedisArgs.Text(newId);
        args[7] = _keys.UserPrefix;
        args[8] = _options.PublishEvents ? (RedisValue)_keys.ChannelName : RedisArgs.Empty;
        args[9] = changes.Attributes.Count;
        var i = 10;
        foreach (var (name, change) in changes.Attributes)
        {
            args[i++] = name;
            args[i++] = RedisArgs.Operation(change.Kind);
            args[i++] = change.ExpectedVersion is { } expected ? expected : RedisArgs.Empty;
            args[i++] = change.Kind switch
            {
                AttributeChangeKind.Remove => RedisArgs.Empty,
                AttributeChangeKind.Increment => change.Delta,
                _ => change.Value,
            };
        }

        return args;
    }

    /// <summary>Reads <c>{'ok', now, S, name, version (S pairs), O, name, version, value (O triples)}</c>.</summary>
    private static CommitResult ReadCommitted(RedisResult[] items)
    {
        var next = 2;
        var result = ReadResults(items, ref next, "a committed reply");
        return next == items.Length ? result : throw Malformed($"a committed reply of {items.Length} items");
    }

    /// <summary>
    /// Reads the versions and operation results of a commit reply from <paramref name="next"/> on (the layout both
    /// the standalone and the Cluster reply share); <paramref name="next"/> ends after them.
    /// </summary>
    internal static CommitResult ReadResults(RedisResult[] items, ref int next, string what)
    {
        var pairs = next < items.Length ? RedisReply.Int64(items[next], "version count") : -1;
        if (pairs < 0 || next + 1 + (2 * pairs) >= items.Length)
        {
            throw Malformed($"{what} of {items.Length} items");
        }

        var versions = new Dictionary<string, long>((int)pairs, StringComparer.Ordinal);
        for (next++; pairs-- > 0; next += 2)
        {
            versions[RedisReply.String(items[next], "attribute name") ?? throw Malformed("a null attribute name")] = RedisReply.Int64(items[next + 1], "attribute version");
        }

        var triples = RedisReply.Int64(items[next], "operation count");
        if (triples < 0 || next + 1 + (3 * triples) > items.Length)
        {
            throw Malformed($"{what} of {items.Length} items");
        }

        if (triples == 0)
        {
            next++;
            return CommitResult.Committed(versions);
        }

        var operations = new Dictionary<string, SessionAttribute?>((int)triples, StringComparer.Ordinal);
        for (next++; triples-- > 0; next += 3)
        {
            var name = RedisReply.String(items[next], "attribute name") ?? throw Malformed("a null attribute name");
            var version = RedisReply.Int64(items[next + 1], "attribute version");
            var value = RedisReply.Bytes(items[next + 2], "attribute value");
            operations[name] = version > 0 && value is not null ? new SessionAttribute(value, version) : null;
        }

        return CommitResult.Committed(versions, operations);
    }

    private static CommitResult ReadConflict(RedisResult[] items)
    {
        if (items.Length < 4 || (items.Length - 1) % 3 != 0)
        {
            throw Malformed($"a conflict reply of {items.Length} items");
        }

        var conflicts = new Dictionary<string, SessionAttribute?>((items.Length - 1) / 3, StringComparer.Ordinal);
        for (var i = 1; i < items.Length; i += 3)
        {
            var name = RedisReply.String(items[i], "attribute name") ?? throw Malformed("a null attribute name");
            var version = RedisReply.Int64(items[i + 1], "attribute version");
            var value = RedisReply.Bytes(items[i + 2], "attribute value");
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
