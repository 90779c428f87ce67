using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

public sealed partial class MemcachedSessionStore
{
    private const int MaxBackupAttempts = 4;

    /// <summary>
    /// Copies a primary write to the backup node, after the primary accepted it. The copy only ever moves forward: it is
    /// written (add, or compare-and-set) only while the backup holds an older sequence, so a slow writer never overwrites
    /// a newer copy, and never a tombstone or an alias. A failure is logged and the session keeps one copy until its next
    /// write; the request does not fail for it.
    /// </summary>
    private async Task WriteBackupAsync(SessionLocation location, byte[] value, ulong sequence, int ttl)
    {
        if (!_options.Backup || location.BackupCopy is not { } backup || backup.Node.IsDown)
        {
            return;
        }

        var flags = SessionItem.FlagsFor(sequence);
        try
        {
            for (var attempt = 0; attempt < MaxBackupAttempts; attempt++)
            {
                var probe = await backup.Node.GetAsync(backup.Key, MetaGetFlags.Cas | MetaGetFlags.ClientFlags | MetaGetFlags.NoLruBump, 0, CancellationToken.None).ConfigureAwait(false);
                MemcachedResponse written;
                if (probe.Status == MetaStatus.Miss)
                {
                    written = await backup.Node.SetAsync(backup.Key, value, new MetaSetOptions(MetaSetMode.Add, ttl, flags), CancellationToken.None).ConfigureAwait(false);
                }
                else if (probe.ClientFlags >= flags)
                {
                    return;
                }
                else
                {
                    written = await backup.Node.SetAsync(backup.Key, value, new MetaSetOptions(MetaSetMode.Set, ttl, flags, probe.Cas), CancellationToken.None).ConfigureAwait(false);
                }

                if (written.Status == MetaStatus.Header)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException or MemcachedItemTooLargeException)
        {
            _logger.BackupWriteFailed(ex, backup.Node.Endpoint);
        }
    }

    /// <summary>Before a write to a backup key standing in for a down owner: marks it, so the owner is flushed when it returns.</summary>
    private async Task MarkIfActingAsync(SessionLocation location, SessionCopy copy, CancellationToken cancellationToken)
    {
        if (copy.IsPrimary)
        {
            return;
        }

        // Without backups, writing around a node that may only have blinked would force a flush of everything it holds
        // when it returns: until it is presumed lost, its sessions' writes fail instead.
        if (!_options.Backup && location.Primary.DownFor < _options.PresumeLostAfter)
        {
            throw new SessionStoreUnavailableException($"memcached {location.Primary.Endpoint}, which holds this session, has been down for {location.Primary.DownFor.TotalSeconds:F1} s; its sessions are written elsewhere only once it is presumed lost, after {_options.PresumeLostAfter.TotalSeconds:F1} s.");
        }

        await _topology.Marks.MarkAsync(location.Primary, copy.Node, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a final record (tombstone or alias) over a session's other copy, blind: nothing may bring the old session
    /// back from there. Skipped when that node is down (it is flushed before it is used again).
    /// </summary>
    private async Task WriteFinalToOtherCopyAsync(SessionLocation location, SessionCopy written, byte[] value, int ttl)
    {
        // Without backups the other key holds nothing worth overwriting.
        if (!_options.Backup || location.Other(written) is not { } other || other.Node.IsDown)
        {
            return;
        }

        try
        {
            await other.Node.SetAsync(other.Key, value, new MetaSetOptions(MetaSetMode.Set, ttl, SessionItem.FinalFlags), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException)
        {
            _logger.BackupWriteFailed(ex, other.Node.Endpoint);
        }
    }
}
