using Stickless.Redis.Resp;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    private static readonly ReadOnlyMemory<byte>[] SummaryFields =
        ["created"u8.ToArray(), "last"u8.ToArray(), "idle"u8.ToArray(), "abs"u8.ToArray(), "principal"u8.ToArray()];

    /// <inheritdoc />
    /// <remarks>One EVALSHA of <c>delete.lua</c>, which also drops the index entries and publishes Deleted. Deleting a grace alias deletes the session it names too.</remarks>
    public async ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return false;
        }

        if (await IsClusterAsync(cancellationToken).ConfigureAwait(false))
        {
            return await DeleteInClusterAsync(sessionId, cancellationToken).ConfigureAwait(false); // RedisSessionStore.Cluster.cs
        }

        var id = sessionId;
        var channel = _options.PublishEvents ? _keys.Channel : RedisArgs.Empty;
        for (var hop = 0; hop <= MaxAliasHops; hop++)
        {
            var (reply, acknowledged) = await EvalWriteAsync(RedisSessionScripts.Delete, [_keys.Session(id), _keys.Expiry], [RedisArgs.Utf8(id), _keys.UserPrefix, channel], cancellationToken).ConfigureAwait(false);
            if (reply.Type == RespType.Integer)
            {
                var deleted = reply.GetInt64() == 1;
                if (deleted)
                {
                    EnsureReplicated(acknowledged, "delete");
                }

                return deleted;
            }

            if (!reply.IsAggregate || reply.Count != 2 || reply[0].GetString() != "moved")
            {
                throw Malformed("delete expected 0, 1 or a moved reply");
            }

            id = ReadMovedTarget(reply);
        }

        return false;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the index set, then every listed session's metadata (pipelined on the one connection), and
    /// removes from the index the ids that are gone or now belong to someone else. The index is kept by
    /// the commit and delete scripts and pruned by the expiry sweeper; this read makes any staleness
    /// invisible, so the index may be eventually consistent (as it will be in Redis Cluster).
    /// </remarks>
    public async ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        var userKey = _keys.User(principal);
        var members = await ExecuteAsync("SMEMBERS", [userKey], cancellationToken).ConfigureAwait(false);
        if (members.Count == 0)
        {
            return [];
        }

        var ids = new string[members.Count];
        var reads = new Task<RespValue>[members.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = members[i].GetString() ?? "";
            reads[i] = SessionIds.IsWellFormed(ids[i])
                ? ExecuteAsync("HMGET", [_keys.Session(ids[i]), .. SummaryFields], cancellationToken).AsTask()
                : Task.FromResult(RespValue.Null);
        }

        await Task.WhenAll(reads).ConfigureAwait(false);
        var summaries = new List<SessionSummary>(ids.Length);
        var dead = new List<ReadOnlyMemory<byte>> { userKey };
        for (var i = 0; i < ids.Length; i++)
        {
            var fields = reads[i].Result;
            if (fields.Count != SummaryFields.Length || fields[0].IsNull || fields[4].GetString() != principal)
            {
                dead.Add(RedisArgs.Utf8(ids[i]));
                continue;
            }

            try
            {
                var last = FromUnixMs(fields[1].GetInt64());
                var expiresAt = last + TimeSpan.FromMilliseconds(fields[2].GetInt64());
                var absolute = FromUnixMs(fields[3].GetInt64());
                summaries.Add(new SessionSummary(ids[i], FromUnixMs(fields[0].GetInt64()), last, expiresAt < absolute ? expiresAt : absolute));
            }
            catch (InvalidOperationException ex)
            {
                throw new SessionStoreUnavailableException("Redis holds a session hash with malformed metadata.", ex);
            }
        }

        if (dead.Count > 1)
        {
            await ExecuteAsync("SREM", [.. dead], cancellationToken).ConfigureAwait(false);
            LogIndexPruned(_logger, dead.Count - 1);
        }

        summaries.Sort(static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return summaries;
    }
}
