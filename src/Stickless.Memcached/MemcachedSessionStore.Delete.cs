using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

public sealed partial class MemcachedSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// A delete writes a tombstone over the session (blind: a delete wins over any commit in flight, whose
    /// compare-and-set then fails and finds the tombstone) and over its backup copy. The tombstone outlives every copy, and
    /// a hit on it is never followed to the backup: a failed backup write cannot bring the session back unless the
    /// primary also loses its tombstone. Through a grace alias, the renamed session is deleted.
    /// </remarks>
    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return ValueTask.FromResult(false);
        }

        return GuardAsync(() => DeleteCoreAsync(sessionId, followAlias: true, cancellationToken));
    }

    private async ValueTask<bool> DeleteCoreAsync(string sessionId, bool followAlias, CancellationToken cancellationToken)
    {
        var now = Now();
        var location = Locate(sessionId);
        var read = await ReadAsync(location, sessionId, now, cancellationToken).ConfigureAwait(false);
        if (read is null || read.Item.Kind == SessionItemKind.Tombstone)
        {
            return false;
        }

        if (read.Item.Kind == SessionItemKind.Alias)
        {
            var deleted = followAlias && read.Item.Until > now && SuccessorOf(read.Item) is { } successor
                && await DeleteCoreAsync(successor, followAlias: false, cancellationToken).ConfigureAwait(false);
            await WriteTombstoneAsync(location, read, null, now, cancellationToken).ConfigureAwait(false);
            return deleted;
        }

        var session = read.Item.Session!;
        if (session.IsExpiredAt(now))
        {
            return false;
        }

        await WriteTombstoneAsync(location, read, session, now, cancellationToken).ConfigureAwait(false);
        if (session.Principal is { } principal)
        {
            await IndexRemoveAsync(principal, sessionId).ConfigureAwait(false);
        }

        await PublishAsync(SessionEventKind.Deleted, sessionId, null, session.Principal, now).ConfigureAwait(false);
        return true;
    }

    private async Task WriteTombstoneAsync(SessionLocation location, SessionRead read, StoredSession? session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tombstone = SessionItemFormat.EncodeTombstone(now, read.Item.Sequence + 1);
        var ttl = TombstoneTtl(session, now);
        await MarkIfActingAsync(location, read.Where, cancellationToken).ConfigureAwait(false);
        var other = WriteFinalToOtherCopyAsync(location, read.Where, tombstone, ttl);
        await read.Where.Node.SetAsync(read.Where.Key, tombstone, new MetaSetOptions(MetaSetMode.Set, ttl, SessionItem.FinalFlags), cancellationToken).ConfigureAwait(false);
        await other.ConfigureAwait(false);
    }
}
