using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

public sealed partial class MemcachedSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One round trip (<c>mg</c> of the primary copy, or of the backup copy while the primary's node is down); a miss on
    /// the primary adds a read of the backup copy. When the touch is due, the touched session is returned at once and its
    /// item is rewritten (compare-and-set) in the background, then copied to the backup: the touch adds no wait to the
    /// request. An id this library could not have issued is answered null without reaching memcached.
    /// </remarks>
    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return ValueTask.FromResult<SessionRecord?>(null);
        }

        return GuardAsync(() => LoadCoreAsync(sessionId, options.TouchAfter, cancellationToken));
    }

    private async ValueTask<SessionRecord?> LoadCoreAsync(string sessionId, TimeSpan touchAfter, CancellationToken cancellationToken)
    {
        var now = Now();
        var location = Locate(sessionId);
        var read = await ReadAsync(location, sessionId, now, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return null;
        }

        if (read.Item.Kind == SessionItemKind.Alias)
        {
            if (read.Item.Until <= now || SuccessorOf(read.Item) is not { } successor)
            {
                return null;
            }

            var target = await ReadAsync(Locate(successor), successor, now, cancellationToken).ConfigureAwait(false);
            return target?.Item.Session is { } renamed && !renamed.IsExpiredAt(now) ? renamed.ToRecord(isGraceAlias: true) : null;
        }

        if (read.Item.Session is not { } session || session.IsExpiredAt(now))
        {
            return null;
        }

        if (now - session.LastAccessedAt < touchAfter)
        {
            return session.ToRecord();
        }

        var touched = session.WithTouch(now);
        var sent = TouchInBackground(location, read, touched, now);
        // Not the reply, only the socket: a read that follows on any connection finds the touch applied.
        await sent.ConfigureAwait(false);
        return touched.ToRecord(touched: true);
    }

    /// <summary>Rewrites the touched item (compare-and-set) and its backup without waiting; returns once the rewrite is in the socket.</summary>
    private Task TouchInBackground(SessionLocation location, SessionRead read, StoredSession touched, DateTimeOffset now)
    {
        if (!read.Where.IsPrimary)
        {
            // An acting primary needs its mark first; this rare path writes in the background entirely.
            _ = TouchInBackgroundAsync(location, read, touched, now);
            return Task.CompletedTask;
        }

        var sequence = read.Item.Sequence + 1;
        var value = SessionItemFormat.EncodeSession(touched, sequence);
        var ttl = TtlFor(touched.ExpiresAt, now);
        Task<MemcachedResponse> reply;
        Task sent;
        try
        {
            reply = read.Where.Node.SetBehind(read.Where.Key, value, new MetaSetOptions(MetaSetMode.Set, ttl, SessionItem.FlagsFor(sequence), read.Cas), out sent);
        }
        catch (MemcachedItemTooLargeException)
        {
            return Task.CompletedTask;
        }

        _ = FinishTouchAsync(location, read, reply, value, sequence, ttl);
        return sent;
    }

    private async Task FinishTouchAsync(SessionLocation location, SessionRead read, Task<MemcachedResponse> reply, byte[] value, ulong sequence, int ttl)
    {
        try
        {
            if ((await reply.ConfigureAwait(false)).Status == MetaStatus.Header)
            {
                await WriteBackupAsync(location, value, sequence, ttl).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException)
        {
            _logger.TouchFailed(ex, read.Where.Node.Endpoint);
        }
    }

    private async Task TouchInBackgroundAsync(SessionLocation location, SessionRead read, StoredSession touched, DateTimeOffset now)
    {
        try
        {
            var sequence = read.Item.Sequence + 1;
            var value = SessionItemFormat.EncodeSession(touched, sequence);
            var ttl = TtlFor(touched.ExpiresAt, now);
            await MarkIfActingAsync(location, read.Where, CancellationToken.None).ConfigureAwait(false);
            var written = await read.Where.Node.SetAsync(read.Where.Key, value, new MetaSetOptions(MetaSetMode.Set, ttl, SessionItem.FlagsFor(sequence), read.Cas), CancellationToken.None).ConfigureAwait(false);
            if (written.Status != MetaStatus.Header)
            {
                // A commit got there first; it carries its own expiry.
                _logger.TouchFailed(null, read.Where.Node.Endpoint);
                return;
            }

            if (read.Where.IsPrimary)
            {
                await WriteBackupAsync(location, value, sequence, ttl).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException or MemcachedItemTooLargeException)
        {
            _logger.TouchFailed(ex, read.Where.Node.Endpoint);
        }
    }
}
