using System.Text;
using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

public sealed partial class MemcachedSessionStore
{
    // The most ids one principal's index keeps; the oldest go first.
    private const int MaxIndexedSessions = 500;
    private const int MaxIndexAttempts = 16;

    /// <inheritdoc />
    /// <remarks>
    /// The index is one item per principal (keyed by an HMAC of the name), holding the sealed ids of its sessions, updated
    /// with compare-and-set after each commit that binds, changes or clears a principal: it is not atomic with the commit.
    /// Reading it loads every listed session and drops the dead ones (written back with compare-and-set). The index lives
    /// on its acting primary only: losing that node forgets the list (not the sessions), until the user's next sign-in.
    /// </remarks>
    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        return GuardAsync(() => FindCoreAsync(principal, cancellationToken));
    }

    private async ValueTask<IReadOnlyList<SessionSummary>> FindCoreAsync(string principal, CancellationToken cancellationToken)
    {
        var now = Now();
        var location = LocateIndex(principal);
        var (ids, _, _, _) = await ReadIndexAsync(location, cancellationToken).ConfigureAwait(false);
        var found = new List<SessionSummary>(ids.Count);
        var dead = new List<string>();
        foreach (var id in ids)
        {
            var read = await ReadAsync(Locate(id), id, now, cancellationToken).ConfigureAwait(false);
            if (read?.Item.Session is { } session && !session.IsExpiredAt(now) && string.Equals(session.Principal, principal, StringComparison.Ordinal))
            {
                found.Add(session.ToSummary());
            }
            else
            {
                dead.Add(id);
            }
        }

        if (dead.Count > 0)
        {
            await UpdateIndexAsync(principal, list => list.RemoveAll(dead.Contains), null).ConfigureAwait(false);
        }

        return found;
    }

    private Task IndexAddAsync(string principal, string sessionId, DateTimeOffset absoluteExpiry, DateTimeOffset now) =>
        UpdateIndexAsync(principal, list =>
        {
            if (!list.Contains(sessionId))
            {
                list.Add(sessionId);
                if (list.Count > MaxIndexedSessions)
                {
                    list.RemoveAt(0);
                }
            }
        }, TtlFor(absoluteExpiry, now));

    private Task IndexRemoveAsync(string principal, string sessionId) =>
        UpdateIndexAsync(principal, list => list.Remove(sessionId), null);

    /// <summary>Changes a principal's index with compare-and-set; a failure is logged (the index is repaired as it is read).</summary>
    private async Task UpdateIndexAsync(string principal, Action<List<string>> change, int? ttlAtLeast)
    {
        var location = LocateIndex(principal);
        try
        {
            for (var attempt = 0; attempt < MaxIndexAttempts; attempt++)
            {
                var (ids, copy, cas, ttl) = await ReadIndexAsync(location, CancellationToken.None).ConfigureAwait(false);
                var updated = new List<string>(ids);
                change(updated);
                var newTtl = Math.Max(ttlAtLeast ?? 0, ttl > 0 ? ttl : 0);
                if (newTtl <= 0)
                {
                    newTtl = TtlFor(_time.GetUtcNow() + TimeSpan.FromDays(1), _time.GetUtcNow());
                }

                await MarkIfActingAsync(location, copy, CancellationToken.None).ConfigureAwait(false);
                MemcachedResponse written;
                if (updated.Count == 0)
                {
                    if (cas == 0)
                    {
                        return;
                    }

                    written = await copy.Node.DeleteAsync(copy.Key, cas, CancellationToken.None).ConfigureAwait(false);
                    if (written.Status is MetaStatus.Header or MetaStatus.NotFound)
                    {
                        return;
                    }

                    continue;
                }

                if (updated.SequenceEqual(ids) && (ttlAtLeast is null || ttlAtLeast <= ttl))
                {
                    return;
                }

                var value = SessionItemFormat.EncodeIndex(_keys.Seal(Encoding.ASCII.GetBytes(string.Join('\n', updated))), 1);
                written = cas == 0
                    ? await copy.Node.SetAsync(copy.Key, value, new MetaSetOptions(MetaSetMode.Add, newTtl), CancellationToken.None).ConfigureAwait(false)
                    : await copy.Node.SetAsync(copy.Key, value, new MetaSetOptions(MetaSetMode.Set, newTtl, 0, cas), CancellationToken.None).ConfigureAwait(false);
                if (written.Status == MetaStatus.Header)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException or MemcachedItemTooLargeException or SessionStoreUnavailableException)
        {
            _logger.IndexUpdateFailed(ex);
        }
    }

    private async ValueTask<(List<string> Ids, SessionCopy Copy, ulong Cas, int Ttl)> ReadIndexAsync(SessionLocation location, CancellationToken cancellationToken)
    {
        var copy = location.Acting ?? throw new SessionStoreUnavailableException($"Both memcached nodes of this index are down ({location.Primary.Endpoint}, {location.Backup?.Endpoint}).");
        var response = await copy.Node.GetAsync(copy.Key, ReadFlags, 0, cancellationToken).ConfigureAwait(false);
        if (response.Status != MetaStatus.Value)
        {
            return ([], copy, 0, 0);
        }

        var item = SessionItemFormat.TryDecode(response.Value, "");
        var opened = item is { Kind: SessionItemKind.Index, Sealed: { } sealedIds } ? _keys.Open(sealedIds) : null;
        var ids = opened is null
            ? []
            : Encoding.ASCII.GetString(opened).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(id => SessionIds.IsWellFormed(id)).ToList();
        return (ids, copy, response.Cas, response.Ttl ?? 0);
    }
}
