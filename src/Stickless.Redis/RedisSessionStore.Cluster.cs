using Stickless.Redis.Resp;

namespace Stickless.Redis;

// Redis Cluster: every script touches the keys of one session's slot only. The expiry buckets and the
// per-user indexes live in other slots, so they are updated by follow-up calls after the script
// (pipelined, not atomic; a failed follow-up is logged, never reported as a failed commit). Readers
// tolerate a lagging index: FindByPrincipalAsync checks every id it lists, the sweeper checks that a
// session is gone before it reports it expired. See Scripts/README.md, "Cluster".
public sealed partial class RedisSessionStore
{
    // A commit or delete that meets a rotation in progress (a frozen hash) retries this often, this far
    // apart, before it follows the rotation to the new id (or, for a delete, removes the frozen hash).
    private const int FrozenRetries = 20;
    private static readonly TimeSpan FrozenRetryDelay = TimeSpan.FromMilliseconds(25);

    private static readonly byte[] Zero = "0"u8.ToArray();
    private static readonly byte[] One = "1"u8.ToArray();

    private RedisClusterKeys? _clusterKeys;

    private RedisClusterKeys ClusterKeys => _clusterKeys ??= new RedisClusterKeys(_options.KeyPrefix);

    /// <summary>True when the store talks to a Redis Cluster; connects first if need be (as any call would).</summary>
    private ValueTask<bool> IsClusterAsync(CancellationToken cancellationToken)
    {
        var client = Volatile.Read(ref _client);
        return client is { IsCompletedSuccessfully: true } ? new(client.Result.IsCluster) : ConnectAndCheckClusterAsync(cancellationToken);
    }

    private async ValueTask<bool> ConnectAndCheckClusterAsync(CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            return (await GetClientAsync(timeout.Token).ConfigureAwait(false)).IsCluster;
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>After a load touched the session: move its entry in the expiry bucket.</summary>
    private Task IndexTouchInClusterAsync(SessionRecord record, CancellationToken cancellationToken)
    {
        var expiresAt = record.LastAccessedAt + record.IdleTimeout;
        var expireAt = (expiresAt < record.AbsoluteExpiry ? expiresAt : record.AbsoluteExpiry).ToUnixTimeMilliseconds();
        return FollowUpAsync(
            "touch",
            ExecuteAsync("ZADD", [ClusterKeys.BucketOf(record.Id), RedisArgs.Int(expireAt), RedisClusterKeys.Member(record.Id, record.Principal)], cancellationToken).AsTask());
    }

    /// <summary>
    /// <see cref="CommitAsync"/> in a cluster: <c>commit.lua</c> with the flag <c>x</c> on the session's slot,
    /// then the index follow-ups; a rotation continues with <see cref="RotateInClusterAsync"/>.
    /// </summary>
    private async ValueTask<CommitResult> CommitInClusterAsync(SessionChangeSet changes, string id, string? newId, CancellationToken cancellationToken)
    {
        if (changes.SetsPrincipal && !string.IsNullOrEmpty(changes.Principal))
        {
            // Ahead of the commit, so that the index is a superset of the principal's sessions: a reader drops
            // the ids that are not (or no longer) theirs, but could never find one that is missing.
            await FollowUpAsync("index", IndexAddAsync(changes.Principal, newId ?? id, 0, cancellationToken)).ConfigureAwait(false);
        }

        var frozenWaits = 0;
        for (var hop = 0; hop <= MaxAliasHops;)
        {
            var (_, args) = BuildCommit(changes, id, newId);
            args[0] = RedisArgs.Utf8(System.Text.Encoding.UTF8.GetString(args[0].Span) + "x");
            var (reply, acknowledged) = await EvalWriteAsync(RedisSessionScripts.Commit, [_keys.Session(id)], args, cancellationToken).ConfigureAwait(false);
            if (!reply.IsAggregate || reply.Count < 1)
            {
                throw Malformed("commit expected an array");
            }

            try
            {
                switch (reply[0].GetString())
                {
                    case "okx":
                        var committed = ClusterCommitReply.Read(reply);
                        if (newId is not null)
                        {
                            return await RotateInClusterAsync(id, newId, changes.RotationGrace, committed, cancellationToken).ConfigureAwait(false);
                        }

                        var result = await AfterClusterCommitAsync(changes, id, committed, cancellationToken).ConfigureAwait(false);
                        EnsureReplicated(acknowledged, "commit");
                        return result;
                    case "notfound":
                        return CommitResult.NotFound;
                    case "exists":
                        return CommitResult.AlreadyExists;
                    case "conflict":
                        return ReadConflict(reply);
                    case "moved":
                        id = ReadMovedTarget(reply);
                        hop++;
                        continue;
                    case "frozen":
                        // A rotation of this session is between its steps: wait for it, then follow it.
                        if (++frozenWaits <= FrozenRetries)
                        {
                            await Task.Delay(FrozenRetryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        id = ReadMovedTarget(reply);
                        frozenWaits = 0;
                        hop++;
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

    private async ValueTask<CommitResult> AfterClusterCommitAsync(SessionChangeSet changes, string id, ClusterCommitReply committed, CancellationToken cancellationToken)
    {
        var principalChanged = committed.OldPrincipal != committed.Principal;
        var bucket = ClusterKeys.BucketOf(id);
        var calls = new List<Task>(4);
        if (principalChanged && !changes.IsNew)
        {
            calls.Add(ExecuteAsync("ZREM", [bucket, RedisClusterKeys.Member(id, committed.OldPrincipal)], cancellationToken).AsTask());
        }

        if (committed.ExpiryMoved || principalChanged)
        {
            calls.Add(ExecuteAsync("ZADD", [bucket, RedisArgs.Int(committed.ExpireAt), RedisClusterKeys.Member(id, committed.Principal)], cancellationToken).AsTask());
        }

        if (principalChanged && committed.OldPrincipal is not null)
        {
            calls.Add(ExecuteAsync("SREM", [_keys.User(committed.OldPrincipal), RedisArgs.Utf8(id)], cancellationToken).AsTask());
        }

        if (principalChanged && committed.Principal is not null)
        {
            calls.Add(IndexAddAsync(committed.Principal, id, committed.Absolute, cancellationToken));
        }

        await FollowUpAsync("commit", [.. calls]).ConfigureAwait(false);
        return committed.Result;
    }

    /// <summary>Adds <paramref name="id"/> to <paramref name="principal"/>'s index (its expiry follows <paramref name="absolute"/>; 0 = not known yet).</summary>
    private Task<RespValue> IndexAddAsync(string principal, string id, long absolute, CancellationToken cancellationToken) =>
        EvalAsync(RedisClusterSessionScripts.IndexAdd, [_keys.User(principal)], [RedisArgs.Utf8(id), RedisArgs.Int(absolute)], cancellationToken).AsTask();

    /// <summary>
    /// Runs follow-up calls (index upkeep after the session's own script, which has already decided the
    /// outcome): a failure is logged and swallowed, the caller's cancellation is not.
    /// </summary>
    private async Task FollowUpAsync(string operation, params Task[] calls)
    {
        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            LogClusterFollowUpFailed(_logger, operation, ex);
        }
    }

    /// <summary><see cref="DeleteAsync"/> in a cluster: <c>cluster-delete.lua</c> on the session's slot, then the index follow-ups.</summary>
    private async ValueTask<bool> DeleteInClusterAsync(string sessionId, CancellationToken cancellationToken)
    {
        var id = sessionId;
        var channel = _options.PublishEvents ? _keys.Channel : RedisArgs.Empty;
        var frozenWaits = 0;
        var force = false;
        for (var hop = 0; hop <= MaxAliasHops;)
        {
            var (reply, acknowledged) = await EvalWriteAsync(RedisClusterSessionScripts.Delete, [_keys.Session(id)], [RedisArgs.Utf8(id), channel, force ? One : Zero], cancellationToken).ConfigureAwait(false);
            if (reply.Type == RespType.Integer)
            {
                return false;
            }

            if (!reply.IsAggregate || reply.Count != 2)
            {
                throw Malformed("delete expected 0 or a pair");
            }

            switch (reply[0].GetString())
            {
                case "deleted":
                    var principal = reply[1].GetString() is { Length: > 0 } p ? p : null;
                    var calls = new List<Task>(2) { ExecuteAsync("ZREM", [ClusterKeys.BucketOf(id), RedisClusterKeys.Member(id, principal)], cancellationToken).AsTask() };
                    if (principal is not null)
                    {
                        calls.Add(ExecuteAsync("SREM", [_keys.User(principal), RedisArgs.Utf8(id)], cancellationToken).AsTask());
                    }

                    await FollowUpAsync("delete", [.. calls]).ConfigureAwait(false);
                    EnsureReplicated(acknowledged, "delete");
                    return true;
                case "moved":
                    id = ReadMovedTarget(reply);
                    force = false;
                    frozenWaits = 0;
                    hop++;
                    continue;
                case "frozen":
                    // Let the rotation finish, then delete where it went; if it never does, delete the frozen hash.
                    if (++frozenWaits <= FrozenRetries)
                    {
                        await Task.Delay(FrozenRetryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        force = true;
                    }

                    continue;
                default:
                    throw Malformed($"delete status '{reply[0].GetString()}'");
            }
        }

        return false;
    }
}
