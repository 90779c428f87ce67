namespace Stickless;

public sealed partial class NearCacheSessionStore
{
    // Estimated overheads: the entry, the record and its dictionary; each attribute's slot and array header.
    private const long CopyOverheadBytes = 320;
    private const long AttributeOverheadBytes = 72;

    private long _bytes;
    private long _hits;
    private long _misses;
    private long _invalidations;
    private long _epoch;
    private volatile bool _up;
    private int _trimming;

    /// <summary>Finds a copy the caller may be served, or says why not.</summary>
    private NearCacheLookup Lookup(string sessionId, SessionLoadOptions options, out SessionRecord? record)
    {
        record = null;
        if (!_up)
        {
            return NearCacheLookup.Bypassed;
        }

        if (!_entries.TryGetValue(sessionId, out var entry))
        {
            return NearCacheLookup.Miss;
        }

        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(entry.ValidatedAt, now) >= _options.MaxStaleness)
        {
            return NearCacheLookup.Stale;
        }

        var copy = entry.Record;
        if (options.Now >= copy.ExpiresAt)
        {
            return NearCacheLookup.Expired;
        }

        if (options.Now - copy.LastAccessedAt >= options.TouchAfter)
        {
            return NearCacheLookup.TouchDue;
        }

        entry.LastUsed = now;
        record = copy;
        return NearCacheLookup.Hit;
    }

    /// <summary>Registers a store call for <paramref name="sessionId"/> before it is sent.</summary>
    private NearCacheTicket Begin(string sessionId)
    {
        while (true)
        {
            var pending = _pending.GetOrAdd(sessionId, static _ => new NearCachePending());
            lock (pending)
            {
                if (!pending.Retired)
                {
                    pending.Calls++;
                    return new NearCacheTicket(sessionId, pending, Volatile.Read(ref _epoch), _time.GetTimestamp());
                }
            }
        }
    }

    /// <summary>
    /// Ends a store call: caches <paramref name="record"/> (when not null) if no invalidation at or beyond it arrived
    /// meanwhile and the channel stayed up, then unregisters the call.
    /// </summary>
    private void End(NearCacheTicket ticket, SessionRecord? record)
    {
        var pending = ticket.Pending;
        NearCacheEntry? inserted = null;
        lock (pending)
        {
            if (record is not null && _up && Volatile.Read(ref _epoch) == ticket.Epoch && (record.Sequence ?? -1) >= pending.MaxInvalidated)
            {
                inserted = Insert(ticket.SessionId, record, ticket.StartedAt);
            }

            if (--pending.Calls == 0)
            {
                pending.Retired = true;
                _pending.TryRemove(new KeyValuePair<string, NearCachePending>(ticket.SessionId, pending));
            }
        }

        // The channel went down (or came back) while this was inserted: the flush may have run before the insert.
        if (inserted is not null && (!_up || Volatile.Read(ref _epoch) != ticket.Epoch))
        {
            Remove(ticket.SessionId, inserted, "flushed");
        }

        if (inserted is not null && Interlocked.Read(ref _bytes) > _options.MaxBytes)
        {
            Trim();
        }
    }

    /// <summary>Stores a copy unless one at a later write is already there.</summary>
    private NearCacheEntry? Insert(string sessionId, SessionRecord record, long validatedAt)
    {
        var bytes = EstimateBytes(record);
        if (bytes > _options.MaxBytes)
        {
            return null;
        }

        var entry = new NearCacheEntry(record, record.Sequence ?? 0, validatedAt, bytes);
        while (true)
        {
            if (_entries.TryGetValue(sessionId, out var existing))
            {
                if (existing.Sequence > entry.Sequence)
                {
                    return null;
                }

                if (_entries.TryUpdate(sessionId, entry, existing))
                {
                    Interlocked.Add(ref _bytes, entry.Bytes - existing.Bytes);
                    return entry;
                }
            }
            else if (_entries.TryAdd(sessionId, entry))
            {
                Interlocked.Add(ref _bytes, entry.Bytes);
                return entry;
            }
        }
    }

    /// <summary>An invalidation (received, or known locally): raises the bar of calls in flight and drops an older copy.</summary>
    private void Invalidate(string sessionId, long sequence)
    {
        if (_pending.TryGetValue(sessionId, out var pending))
        {
            lock (pending)
            {
                if (!pending.Retired && sequence > pending.MaxInvalidated)
                {
                    pending.MaxInvalidated = sequence;
                }
            }
        }

        Evict(sessionId, sequence, "invalidated");
    }

    /// <summary>Drops the copy of <paramref name="sessionId"/> if it is older than <paramref name="sequence"/>.</summary>
    private void Evict(string sessionId, long sequence, string reason)
    {
        while (_entries.TryGetValue(sessionId, out var entry) && (entry.Sequence < sequence || sequence == SessionInvalidation.Dead))
        {
            if (Remove(sessionId, entry, reason))
            {
                return;
            }
        }
    }

    private bool Remove(string sessionId, NearCacheEntry entry, string reason)
    {
        if (!_entries.TryRemove(new KeyValuePair<string, NearCacheEntry>(sessionId, entry)))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -entry.Bytes);
        _metrics.Evicted(reason);
        return true;
    }

    private void ChannelUp()
    {
        // Answers read before this moment may have missed invalidations: the new epoch voids them.
        Interlocked.Increment(ref _epoch);
        _up = true;
        Interlocked.Increment(ref _epoch);
        LogChannelUp(_logger, _inner.Name);
    }

    private void ChannelDown(bool log)
    {
        var wasUp = _up;
        _up = false;
        Interlocked.Increment(ref _epoch);
        var flushed = 0L;
        foreach (var (id, entry) in _entries)
        {
            if (_entries.TryRemove(new KeyValuePair<string, NearCacheEntry>(id, entry)))
            {
                Interlocked.Add(ref _bytes, -entry.Bytes);
                flushed++;
            }
        }

        _metrics.Evicted("flushed", flushed);
        if (log && wasUp)
        {
            LogChannelDown(_logger, _inner.Name, flushed);
        }
    }

    /// <summary>Drops the least recently used copies until the cache holds at most 90 % of its bound (one trim at a time).</summary>
    private void Trim()
    {
        if (Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        try
        {
            var before = Interlocked.Read(ref _bytes);
            var target = _options.MaxBytes / 10 * 9;
            var copies = _entries.ToArray();
            Array.Sort(copies, static (x, y) => x.Value.LastUsed.CompareTo(y.Value.LastUsed));
            var dropped = 0;
            foreach (var (id, entry) in copies)
            {
                if (Interlocked.Read(ref _bytes) <= target)
                {
                    break;
                }

                if (Remove(id, entry, "trimmed"))
                {
                    dropped++;
                }
            }

            LogTrimmed(_logger, before, _options.MaxBytes, dropped);
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    /// <summary>What a copy of <paramref name="record"/> is taken to cost: its strings and values plus fixed overheads.</summary>
    internal static long EstimateBytes(SessionRecord record)
    {
        var bytes = CopyOverheadBytes + (2L * record.Id.Length) + (2L * (record.Principal?.Length ?? 0));
        foreach (var (name, attribute) in record.Attributes)
        {
            bytes += AttributeOverheadBytes + (2L * name.Length) + attribute.Value.Length;
        }

        return bytes;
    }
}
