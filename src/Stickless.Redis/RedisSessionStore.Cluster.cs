using StackExchange.Redis;

namespace Stickless.Redis;

// Redis Cluster: every script touches the keys of one session's slot only. The expiry buckets and the
// per-user indexes live in other slots, so they are updated by follow-up calls after the script (not atomic;
// a failed follow-up is logged, never reported as a failed commit). Readers tolerate a lagging index:
// FindByPrincipalAsync checks every id it lists, the sweeper checks that a session is gone before it reports
// it expired. See Scripts/README.md, "Cluster".
// The follow-up helpers return Task (not Task<T>): their results are never read, only awaited together.
#pragma warning disable CA1859
public sealed partial class RedisSessionStore
{
    private RedisClusterKeys? _clusterKeys;

    private RedisClusterKeys ClusterKeys => _clusterKeys ??= new RedisClusterKeys(_options.KeyPrefix);

    private RedisKey BucketOf(string id) => ClusterKeys.BucketOf(_connection.Current?.Multiplexer ?? throw new InvalidOperationException("Not connected."), _keys.Session(id));

    /// <summary>
    /// <see cref="CommitAsync"/> in a cluster: <c>commit.lua</c> with the flag <c>x</c> on the session's slot,
    /// then the index follow-ups; a rotation continues with <see cref="RotateInClusterAsync"/>.
    /// </summary>
    private async Task<CommitResult> CommitInClusterAsync(RedisStoreCall call, SessionChangeSet changes, string id, string? newId)
    {
        if (changes.SetsPrincipal && !string.IsNullOrEmpty(changes.Principal))
        {
            // Ahead of the commit, so that the index is a superset of the principal's sessions: a reader drops
            // the ids that are not (or no longer) theirs, but could never find one that is missing.
            await FollowUpAsync(call, "index", IndexAddAsync(call, changes.Principal, newId ?? id, 0)).ConfigureAwait(false);
        }

        var frozenWaits = 0;
        for (var hop = 0; hop <= MaxAliasHops;)
        {
            var args = BuildCommitArgs(changes, id, newId, cluster: true);
            RedisResult reply;
            long? acknowledged = null;
            if (newId is null)
            {
                (reply, acknowledged) = await EvalWriteAsync(call, RedisSessionScripts.Commit, [_keys.Session(id)], args).ConfigureAwait(false);
            }
            else
            {
                // Step 1 of a rotation only freezes this hash (its data moves in step 2, which waits for replicas).
                reply = await EvalAsync(call, RedisSessionScripts.Commit, [_keys.Session(id), _keys.Scratch(id)], args).ConfigureAwait(false);
            }

            var items = RedisReply.Items(reply, "commit");
            var status = items.Length > 0 ? RedisReply.String(items[0], "commit status") : null;
            switch (status)
            {
                case "okx":
                    var committed = ClusterCommitReply.Read(items);
                    if (newId is not null)
                    {
                        return await RotateInClusterAsync(call, id, newId, changes.RotationGrace, committed).ConfigureAwait(false); // RedisSessionStore.ClusterRotation.cs
                    }

                    var result = await AfterClusterCommitAsync(call, changes, id, committed).ConfigureAwait(false);
                    EnsureReplicated(acknowledged, "commit");
                    return result;
                case "notfound":
                    return CommitResult.NotFound;
                case "exists":
                    return CommitResult.AlreadyExists;
                case "conflict":
                    return ReadConflict(items);
                case "moved":
                    id = ReadAliasTarget(items);
                    hop++;
                    continue;
                case "frozen" when items.Length == 3:
                    // A rotation of this session is between its steps. Without grace (a sign-in) the old id is dead
                    // from the moment the new one was issued: it takes no more writes. With grace, wait for the
                    // rotation, then follow it as an alias would be followed.
                    if (RedisReply.Int64(items[2], "frozen grace") == 0)
                    {
                        return CommitResult.NotFound;
                    }

                    if (++frozenWaits <= FrozenRetries)
                    {
                        await Task.Delay(FrozenRetryDelay, _timeProvider, call.Token).ConfigureAwait(false);
                        continue;
                    }

                    id = ReadAliasTarget(items[..2]);
                    frozenWaits = 0;
                    hop++;
                    continue;
                default:
                    throw Malformed($"commit status '{status}'");
            }
        }

        return CommitResult.NotFound;
    }

    private async Task<CommitResult> AfterClusterCommitAsync(RedisStoreCall call, SessionChangeSet changes, string id, ClusterCommitReply committed)
    {
        var principalChanged = committed.OldPrincipal != committed.Principal;
        var bucket = BucketOf(id);
        var calls = new List<Task>(4);
        if (principalChanged && !changes.IsNew)
        {
            calls.Add(SortedSetRemoveAsync(call, bucket, RedisClusterKeys.Member(id, committed.OldPrincipal)));
        }

        // A touch alone leaves the bucket behind, as a load's touch does (the sweeper re-scores a due session it
        // finds alive): a writing request stays one round trip unless it creates the session or changes its principal.
        if (changes.IsNew || principalChanged)
        {
            calls.Add(SortedSetAddAsync(call, bucket, RedisClusterKeys.Member(id, committed.Principal), committed.ExpireAt));
        }

        if (principalChanged && committed.OldPrincipal is not null)
        {
            calls.Add(SetRemoveAsync(call, _keys.User(committed.OldPrincipal), id));
        }

        if (principalChanged && committed.Principal is not null)
        {
            calls.Add(IndexAddAsync(call, committed.Principal, id, committed.Absolute));
        }

        await FollowUpAsync(call, "commit", [.. calls]).ConfigureAwait(false);
        return committed.Result;
    }

    /// <summary>Adds <paramref name="id"/> to <paramref name="principal"/>'s index (its expiry follows <paramref name="absolute"/>; 0 = not known yet).</summary>
    private Task IndexAddAsync(RedisStoreCall call, string principal, string id, long absolute) =>
        EvalAsync(call, RedisSessionScripts.ClusterIndexAdd, [_keys.User(principal)], [id, absolute]);

    private Task SortedSetAddAsync(RedisStoreCall call, RedisKey key, RedisValue member, long score) =>
        RunAsync(call, "ZADD", static (link, state) => link.Database.SortedSetAddAsync(state.key, state.member, state.score, CommandFlags.DemandMaster), (key, member, score: (double)score));

    private Task SortedSetRemoveAsync(RedisStoreCall call, RedisKey key, RedisValue member) =>
        RunAsync(call, "ZREM", static (link, state) => link.Database.SortedSetRemoveAsync(state.key, state.member, CommandFlags.DemandMaster), (key, member));

    private Task SetRemoveAsync(RedisStoreCall call, RedisKey key, RedisValue member) =>
        RunAsync(call, "SREM", static (link, state) => link.Database.SetRemoveAsync(state.key, state.member, CommandFlags.DemandMaster), (key, member));

    /// <summary>
    /// Runs follow-up calls (index upkeep after the session's own script, which has already decided the
    /// outcome): a failure is logged and swallowed, the caller's cancellation is not.
    /// </summary>
    private async Task FollowUpAsync(RedisStoreCall call, string operation, params Task[] calls)
    {
        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionStoreUnavailableException or RedisException or TimeoutException
            || (ex is OperationCanceledException && !call.Caller.IsCancellationRequested))
        {
            LogClusterFollowUpFailed(_logger, operation, ex);
        }
    }

    /// <summary><see cref="DeleteAsync"/> in a cluster: <c>cluster-delete.lua</c> on the session's slot, then the index follow-ups.</summary>
    private async Task<bool> DeleteInClusterAsync(RedisStoreCall call, string sessionId)
    {
        var id = sessionId;
        var channel = _options.PublishEvents ? (RedisValue)_keys.ChannelName : RedisArgs.Empty;
        var tombstone = false;
        for (var hop = 0; hop <= MaxAliasHops; hop++)
        {
            var (reply, acknowledged) = await EvalWriteAsync(call, RedisSessionScripts.ClusterDelete, [_keys.Session(id)], [id, channel, tombstone ? RedisArgs.One : RedisArgs.Zero]).ConfigureAwait(false);
            if (!RedisReply.IsArray(reply))
            {
                _ = RedisReply.Int64(reply, "delete");
                return false;
            }

            var items = RedisReply.Items(reply, "delete");
            var status = items.Length == 2 ? RedisReply.String(items[0], "delete status") : null;
            switch (status)
            {
                case "deleted":
                    var principal = RedisReply.String(items[1], "principal") is { Length: > 0 } p ? p : null;
                    var calls = new List<Task>(2) { SortedSetRemoveAsync(call, BucketOf(id), RedisClusterKeys.Member(id, principal)) };
                    if (principal is not null)
                    {
                        calls.Add(SetRemoveAsync(call, _keys.User(principal), id));
                    }

                    await FollowUpAsync(call, "delete", [.. calls]).ConfigureAwait(false);
                    EnsureReplicated(acknowledged, "delete");
                    return true;
                case "moved":
                    // A grace alias, or the frozen hash of a rotation under way: deleted; now the id it names, and
                    // if that does not exist yet, a tombstone there so the rotation cannot create it afterwards.
                    id = ReadAliasTarget(items);
                    tombstone = true;
                    continue;
                default:
                    throw Malformed($"delete status '{status}'");
            }
        }

        return false;
    }
}
#pragma warning restore CA1859
