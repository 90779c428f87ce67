using System.Text;
using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

public sealed partial class MemcachedSessionStore
{
    private const MetaGetFlags ReadFlags = MetaGetFlags.Value | MetaGetFlags.Cas | MetaGetFlags.ClientFlags | MetaGetFlags.Ttl;

    // A backup copy this close to its TTL is an idle-expiry race (the primary, written a moment earlier, just expired):
    // it is not served.
    private const int MinimumBackupTtlSeconds = 2;

    private SessionLocation Locate(string sessionId)
    {
        var hash = _keys.HashOf(sessionId);
        var (primary, backup) = _topology.Place(hash);
        return new SessionLocation(hash, primary, backup, _keys.PrimaryKey(hash), _keys.BackupKey(hash));
    }

    private SessionLocation LocateIndex(string principal)
    {
        var hash = _keys.IndexHashOf(principal);
        var (primary, backup) = _topology.Place(hash);
        var key = _keys.IndexKey(hash);
        return new SessionLocation(hash, primary, backup, key, key);
    }

    /// <summary>
    /// Reads what a session key holds: from the primary copy, or from the backup copy when the primary's node is down.
    /// A primary that answers "miss" (evicted, or flushed on re-admission) is followed by a read of the backup copy; a live
    /// session found there is copied back to the primary (add, so a write that got there first wins) and served.
    /// </summary>
    /// <returns>The item, or null when neither copy holds one.</returns>
    private async ValueTask<SessionRead?> ReadAsync(SessionLocation location, string sessionId, DateTimeOffset now, CancellationToken cancellationToken, bool followBackup = true)
    {
        var acting = location.Acting ?? throw new SessionStoreUnavailableException($"Both memcached nodes of this session are down ({location.Primary.Endpoint}, {location.Backup?.Endpoint}).");
        MemcachedResponse response;
        try
        {
            response = await acting.Node.GetAsync(acting.Key, ReadFlags, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (MemcachedConnectionException) when (acting.IsPrimary && acting.Node.IsDown && location.BackupCopy is { } backupCopy && !backupCopy.Node.IsDown)
        {
            // The primary's node was just marked down (refused, lost): its backup serves from now on.
            acting = backupCopy;
            response = await acting.Node.GetAsync(acting.Key, ReadFlags, 0, cancellationToken).ConfigureAwait(false);
        }

        if (response.Status == MetaStatus.Value)
        {
            return Decode(response, acting, sessionId);
        }

        if (!acting.IsPrimary)
        {
            // Without backups, a miss at the acting primary says nothing about a session of a node that may only have
            // blinked: it is presumed lost only once its node has been down a while.
            if (!_options.Backup && location.Primary.DownFor < _options.PresumeLostAfter)
            {
                throw new SessionStoreUnavailableException($"memcached {location.Primary.Endpoint}, which holds this session, has been down for {location.Primary.DownFor.TotalSeconds:F1} s; its sessions are presumed lost after {_options.PresumeLostAfter.TotalSeconds:F1} s.");
            }

            return null;
        }

        if (!followBackup || location.BackupCopy is not { } backup || backup.Node.IsDown)
        {
            return null;
        }

        var fromBackup = await backup.Node.GetAsync(backup.Key, ReadFlags, 0, cancellationToken).ConfigureAwait(false);
        if (fromBackup.Status != MetaStatus.Value || Decode(fromBackup, backup, sessionId) is not { } read)
        {
            return null;
        }

        if (read.Item.Kind != SessionItemKind.Session)
        {
            // A tombstone or an alias the primary lost: it still decides.
            return read;
        }

        if ((fromBackup.Ttl is { } ttl && ttl >= 0 && ttl <= MinimumBackupTtlSeconds) || read.Item.Session!.IsExpiredAt(now))
        {
            return null;
        }

        var copyTtl = fromBackup.Ttl is > 0 ? fromBackup.Ttl.Value : TtlFor(read.Item.Session.ExpiresAt, now);
        var added = await acting.Node.SetAsync(acting.Key, fromBackup.Value, new MetaSetOptions(MetaSetMode.Add, copyTtl, SessionItem.FlagsFor(read.Item.Sequence), ReturnCas: true), cancellationToken).ConfigureAwait(false);
        if (added.Status != MetaStatus.Header)
        {
            // Someone wrote the primary meanwhile: it is the truth.
            return await ReadAsync(location, sessionId, now, cancellationToken, followBackup: false).ConfigureAwait(false);
        }

        _logger.RepairedFromBackup(acting.Node.Endpoint, backup.Node.Endpoint);
        if (!_options.Backup)
        {
            // Without backups, the copy at the backup key was only the acting primary's: it moved back, so it goes.
            _ = DeleteQuietlyAsync(backup, fromBackup.Cas);
        }

        return new SessionRead(read.Item, acting, added.Cas, copyTtl);
    }

    private SessionRead? Decode(MemcachedResponse response, SessionCopy where, string sessionId)
    {
        var item = SessionItemFormat.TryDecode(response.Value, sessionId);
        if (item is null)
        {
            _logger.UndecodableItem(where.Node.Endpoint);
            return null;
        }

        return new SessionRead(item, where, response.Cas, response.Ttl ?? -1);
    }

    /// <summary>The id a grace alias points to; null when it cannot be opened.</summary>
    private string? SuccessorOf(SessionItem alias)
    {
        var opened = alias.Sealed is null ? null : _keys.Open(alias.Sealed);
        if (opened is null)
        {
            return null;
        }

        var id = Encoding.ASCII.GetString(opened);
        return SessionIds.IsWellFormed(id) ? id : null;
    }

    private static async Task DeleteQuietlyAsync(SessionCopy copy, ulong cas)
    {
        try
        {
            await copy.Node.DeleteAsync(copy.Key, cas, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException)
        {
            // Harmless: the stale copy expires with its TTL, and the primary decides.
        }
    }
}
