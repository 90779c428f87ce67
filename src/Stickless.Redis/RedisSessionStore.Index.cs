using StackExchange.Redis;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    private static readonly RedisValue[] SummaryFields = ["created", "last", "idle", "abs", "principal"];

    /// <inheritdoc />
    /// <remarks>
    /// One EVALSHA of <c>delete.lua</c>, which also drops the index entries and publishes Deleted. Deleting a grace
    /// alias deletes the session it names too. The script names the per-user index it touches; when the session
    /// holds another principal than this node last saw, it deletes nothing and says which, and the delete is sent
    /// once more.
    /// </remarks>
    public async ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return false;
        }

        using var call = StartCall(cancellationToken);
        try
        {
            var link = await ConnectedAsync(call).ConfigureAwait(false);
            return link.IsCluster == true
                ? await DeleteInClusterAsync(call, sessionId).ConfigureAwait(false) // RedisSessionStore.Cluster.cs
                : await DeleteStandaloneAsync(call, sessionId).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, call))
        {
            throw Unavailable(ex, call);
        }
    }

    private async Task<bool> DeleteStandaloneAsync(RedisStoreCall call, string sessionId)
    {
        var id = sessionId;
        var believed = _principals.Get(id);
        var channel = _options.PublishEvents ? (RedisValue)_keys.ChannelName : RedisArgs.Empty;
        var principalRetries = 0;
        for (var hop = 0; hop <= MaxAliasHops;)
        {
            var session = _keys.Session(id);
            RedisKey[] keys = [session, _keys.Expiry, believed is null ? session : _keys.User(believed)];
            var (reply, acknowledged) = await EvalWriteAsync(call, RedisSessionScripts.Delete, keys, [id, _keys.UserPrefix, channel]).ConfigureAwait(false);
            if (!RedisReply.IsArray(reply))
            {
                var deleted = RedisReply.Int64(reply, "delete") == 1;
                _principals.Forget(id);
                if (deleted)
                {
                    EnsureReplicated(acknowledged, "delete");
                }

                return deleted;
            }

            var items = RedisReply.Items(reply, "delete");
            var status = items.Length == 2 ? RedisReply.String(items[0], "delete status") : null;
            switch (status)
            {
                case "moved":
                    _principals.Forget(id);
                    id = ReadAliasTarget(items);
                    believed = _principals.Get(id);
                    hop++;
                    continue;
                case "principal" when ++principalRetries <= MaxAliasHops && RedisReply.String(items[1], "principal") is { Length: > 0 } actual && actual != believed:
                    believed = actual;
                    LogPrincipalRetry(_logger);
                    continue;
                default:
                    throw Malformed("delete expected 0, 1, a moved or a principal reply");
            }
        }

        return false;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the index set, then every listed session's metadata (pipelined), and removes from the index the
    /// ids that are gone or now belong to someone else. The index is kept by the commit and delete scripts and
    /// pruned by the expiry sweeper; this read makes any staleness invisible, so the index may be eventually
    /// consistent (as it is in Redis Cluster).
    /// </remarks>
    public async ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        using var call = StartCall(cancellationToken);
        try
        {
            return await FindByPrincipalCoreAsync(call, principal).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, call))
        {
            throw Unavailable(ex, call);
        }
    }

    private async Task<IReadOnlyList<SessionSummary>> FindByPrincipalCoreAsync(RedisStoreCall call, string principal)
    {
        var userKey = _keys.User(principal);
        var members = await RunAsync(call, "SMEMBERS", static (link, key) => link.Database.SetMembersAsync(key, CommandFlags.DemandMaster), userKey).ConfigureAwait(false);
        if (members.Length == 0)
        {
            return [];
        }

        var ids = new string[members.Length];
        var reads = new Task<RedisValue[]>[members.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = members[i].ToString();
            reads[i] = SessionIds.IsWellFormed(ids[i])
                ? RunAsync(call, "HMGET", static (link, key) => link.Database.HashGetAsync(key, SummaryFields, CommandFlags.DemandMaster), _keys.Session(ids[i]))
                : Task.FromResult(Array.Empty<RedisValue>());
        }

        await Task.WhenAll(reads).ConfigureAwait(false);
        var summaries = new List<SessionSummary>(ids.Length);
        var dead = new List<RedisValue>();
        for (var i = 0; i < ids.Length; i++)
        {
            var fields = reads[i].Result;
            if (fields.Length != SummaryFields.Length || fields[0].IsNull || fields[4] != principal)
            {
                dead.Add(members[i]);
                continue;
            }

            if (!fields[0].TryParse(out long created) || !fields[1].TryParse(out long last) || !fields[2].TryParse(out long idle) || !fields[3].TryParse(out long absolute)
                || idle < 0 || idle > RedisArgs.Milliseconds(TimeSpan.MaxValue))
            {
                throw Malformed("a session hash with malformed metadata");
            }

            summaries.Add(new SessionSummary(ids[i], FromUnixMs(created), FromUnixMs(last), FromUnixMs(Math.Min(last + idle, absolute))));
        }

        if (dead.Count > 0)
        {
            await RunAsync(call, "SREM", static (link, state) => link.Database.SetRemoveAsync(state.userKey, state.dead, CommandFlags.DemandMaster), (userKey, dead: dead.ToArray())).ConfigureAwait(false);
            LogIndexPruned(_logger, dead.Count);
        }

        summaries.Sort(static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return summaries;
    }
}
