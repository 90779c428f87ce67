using Stickless.Redis.Resp;

namespace Stickless.Redis;

// Rotation in Redis Cluster. The old and the new id are in different slots, so no one script can move
// the session (no RENAME, no COPY across slots). Three steps, each atomic on its own slot:
//   1. commit.lua (flags x r) on the OLD key: apply the change set and freeze the hash ('frozen' = new id,
//      life cut to at most 10 s); return the whole hash. Loads still read it; commits answer 'frozen'.
//   2. cluster-adopt.lua on the NEW key: create it from those fields with the session's expiry, only if
//      the new id is free and the session has not expired meanwhile.
//   3. cluster-finish.lua on the OLD key: delete it, or leave the grace alias ('moved' = new id); publish
//      Renewed. (On 'exists' in step 2 it thaws the old hash instead.)
// Failures: before 1, nothing changed. Between 1 and 2 (crash, timeout): the new id does not exist and the
// old one expires by itself within 10 s; meanwhile it reads as before and refuses writes: at worst the user
// signs in again; never a duplicate, never a resurrection. Between 2 and 3: both exist for at most 10 s,
// the old one read-only; writes to it wait, then go to the new id. The indexes follow after step 2.
public sealed partial class RedisSessionStore
{
    private static readonly byte[] FinishDone = "done"u8.ToArray();
    private static readonly byte[] FinishUndo = "undo"u8.ToArray();

    private async ValueTask<CommitResult> RotateInClusterAsync(string oldId, string newId, TimeSpan grace, ClusterCommitReply frozen, CancellationToken cancellationToken)
    {
        var (adopted, acknowledged) = await EvalWriteAsync(RedisClusterSessionScripts.Adopt, [_keys.Session(newId)], [RedisArgs.Int(frozen.ExpireAt), .. frozen.Fields], cancellationToken).ConfigureAwait(false);
        switch (adopted.GetString())
        {
            case "ok":
                break;
            case "exists":
                await FollowUpAsync("rotation", FinishRotationAsync(FinishUndo, oldId, newId, TimeSpan.Zero, frozen, publish: false, cancellationToken)).ConfigureAwait(false);
                return CommitResult.AlreadyExists;
            case "expired":
                await FollowUpAsync("rotation", FinishRotationAsync(FinishDone, oldId, newId, TimeSpan.Zero, frozen, publish: false, cancellationToken)).ConfigureAwait(false);
                return CommitResult.NotFound;
            default:
                throw Malformed($"adopt status '{adopted.GetString()}'");
        }

        var calls = new List<Task>(5)
        {
            FinishRotationAsync(FinishDone, oldId, newId, grace, frozen, publish: true, cancellationToken),
            ExecuteAsync("ZREM", [ClusterKeys.BucketOf(oldId), RedisClusterKeys.Member(oldId, frozen.OldPrincipal)], cancellationToken).AsTask(),
            ExecuteAsync("ZADD", [ClusterKeys.BucketOf(newId), RedisArgs.Int(frozen.ExpireAt), RedisClusterKeys.Member(newId, frozen.Principal)], cancellationToken).AsTask(),
        };
        if (frozen.OldPrincipal is not null)
        {
            calls.Add(ExecuteAsync("SREM", [_keys.User(frozen.OldPrincipal), RedisArgs.Utf8(oldId)], cancellationToken).AsTask());
        }

        if (frozen.Principal is not null)
        {
            calls.Add(IndexAddAsync(frozen.Principal, newId, frozen.Absolute, cancellationToken));
        }

        // The new session exists: the rotation has happened whatever these answer. A failed finish leaves the
        // old hash frozen (read-only, following to the new id) until its short expiry.
        await FollowUpAsync("rotation", [.. calls]).ConfigureAwait(false);
        EnsureReplicated(acknowledged, "rotation");
        return frozen.Result;
    }

    private Task<RespValue> FinishRotationAsync(byte[] mode, string oldId, string newId, TimeSpan grace, ClusterCommitReply frozen, bool publish, CancellationToken cancellationToken) =>
        EvalAsync(
            RedisClusterSessionScripts.Finish,
            [_keys.Session(oldId)],
            [
                mode, RedisArgs.Utf8(newId), RedisArgs.Int(frozen.ExpireAt), RedisArgs.Int(RedisArgs.Milliseconds(grace)),
                publish && _options.PublishEvents ? _keys.Channel : RedisArgs.Empty, RedisArgs.Utf8(oldId), RedisArgs.Utf8(frozen.Principal),
            ],
            cancellationToken).AsTask();
}
