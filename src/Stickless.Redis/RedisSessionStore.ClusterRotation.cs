using StackExchange.Redis;

namespace Stickless.Redis;

// Rotation in Redis Cluster. The old and the new id are in different slots, so no one script can move the
// session (no RENAME, no COPY across slots). Three steps, each atomic on its own slot:
//   1. commit.lua (flags x r) on the OLD key: check the change set, apply it to a scratch copy in the old
//      key's slot and return that copy; the old hash itself only gets frozen ('frozen' = new id, 'fgrace',
//      life cut to at most 10 s). From then on the old id is dead for a sign-in (grace 0: loads see nothing,
//      commits NotFound) and an alias otherwise; it never carries the new principal or data.
//   2. cluster-adopt.lua on the NEW key: create it from the copy with the session's expiry, unless the id is
//      taken, a delete left a tombstone there (the session was deleted meanwhile) or the session expired.
//   3. cluster-finish.lua on the OLD key: delete it, or leave the grace alias ('moved' = new id); publish
//      Renewed. (When step 2 found the id taken it thaws the old hash instead: it was never changed.)
// Failures: before 1, nothing changed. Between 1 and 2 (crash, timeout): the new id does not exist, the old
// one is dead (or an alias of nothing) and expires by itself within 10 s: the user signs in again; never a
// duplicate, never a resurrection. Between 2 and 3: the old id is frozen (dead or an alias) until it expires.
// The follow-up helpers return Task (not Task<T>): their results are never read, only awaited together.
#pragma warning disable CA1859
public sealed partial class RedisSessionStore
{
    private static readonly RedisValue FinishDone = "done";
    private static readonly RedisValue FinishUndo = "undo";

    private async Task<CommitResult> RotateInClusterAsync(RedisStoreCall call, string oldId, string newId, TimeSpan grace, ClusterCommitReply frozen)
    {
        var adoptArgs = new RedisValue[1 + frozen.Fields.Length];
        adoptArgs[0] = frozen.ExpireAt;
        frozen.Fields.CopyTo(adoptArgs, 1);
        var (adopted, acknowledged) = await EvalWriteAsync(call, RedisSessionScripts.ClusterAdopt, [_keys.Session(newId)], adoptArgs).ConfigureAwait(false);
        switch (RedisReply.String(adopted, "adopt status"))
        {
            case "ok":
                break;
            case "exists":
                await FollowUpAsync(call, "rotation", FinishRotationAsync(call, FinishUndo, oldId, newId, TimeSpan.Zero, frozen, publish: false)).ConfigureAwait(false);
                return CommitResult.AlreadyExists;
            case "expired" or "deleted":
                await FollowUpAsync(call, "rotation", FinishRotationAsync(call, FinishDone, oldId, newId, TimeSpan.Zero, frozen, publish: false)).ConfigureAwait(false);
                return CommitResult.NotFound;
            default:
                throw Malformed($"adopt status '{RedisReply.String(adopted, "adopt status")}'");
        }

        _principals.Remember(newId, frozen.Principal);
        var calls = new List<Task>(5)
        {
            FinishRotationAsync(call, FinishDone, oldId, newId, grace, frozen, publish: true),
            SortedSetRemoveAsync(call, BucketOf(oldId), RedisClusterKeys.Member(oldId, frozen.OldPrincipal)),
            SortedSetAddAsync(call, BucketOf(newId), RedisClusterKeys.Member(newId, frozen.Principal), frozen.ExpireAt),
        };
        if (frozen.OldPrincipal is not null)
        {
            calls.Add(SetRemoveAsync(call, _keys.User(frozen.OldPrincipal), oldId));
        }

        if (frozen.Principal is not null)
        {
            calls.Add(IndexAddAsync(call, frozen.Principal, newId, frozen.Absolute));
        }

        // The new session exists: the rotation has happened whatever these answer. A failed finish leaves the
        // old hash frozen (dead, or an alias of the new id) until its short expiry.
        await FollowUpAsync(call, "rotation", [.. calls]).ConfigureAwait(false);
        EnsureReplicated(acknowledged, "rotation");
        return frozen.Result;
    }

    private Task FinishRotationAsync(RedisStoreCall call, RedisValue mode, string oldId, string newId, TimeSpan grace, ClusterCommitReply frozen, bool publish) =>
        EvalAsync(
            call,
            RedisSessionScripts.ClusterFinish,
            [_keys.Session(oldId)],
            [
                mode, newId, frozen.ExpireAt, RedisArgs.Milliseconds(grace),
                publish && _options.PublishEvents ? (RedisValue)_keys.ChannelName : RedisArgs.Empty, oldId, RedisArgs.Text(frozen.Principal),
            ]);
}
#pragma warning restore CA1859
