using System.Collections.Concurrent;

namespace Stickless.Replication.Replicas;

/// <summary>
/// Every session id this node holds a state for (live copies and tombstones), with the per-user index over the live
/// ones and the running totals of sessions and bytes held. State changes go through <see cref="Publish"/>, under the
/// entry's gate, so the index and the totals follow every change.
/// </summary>
internal sealed class ReplicaTable
{
    private readonly ConcurrentDictionary<string, ReplicaEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byPrincipal = new(StringComparer.Ordinal);
    private readonly Lock _indexGate = new();
    private long _liveSessions;
    private long _liveBytes;
    private long _tombstones;

    /// <summary>Live sessions held.</summary>
    public long LiveSessions => Interlocked.Read(ref _liveSessions);

    /// <summary>Bytes of the live sessions held (names, values and fixed fields).</summary>
    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Tombstones held.</summary>
    public long Tombstones => Interlocked.Read(ref _tombstones);

    public ReplicaEntry? Find(string id) => _entries.TryGetValue(id, out var entry) ? entry : null;

    public ReplicaEntry GetOrAdd(string id) => _entries.GetOrAdd(id, static key => new ReplicaEntry(key));

    /// <summary>
    /// The entry of <paramref name="id"/> with its gate taken (created when <paramref name="create"/>), never one that has
    /// left the table; null when absent (and not created), or when the gate was not free within <paramref name="timeout"/>
    /// (then TimedOut is true). The caller releases the gate.
    /// </summary>
    public async ValueTask<(ReplicaEntry? Entry, bool TimedOut)> LockAsync(string id, bool create, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = create ? GetOrAdd(id) : Find(id);
            if (entry is null)
            {
                return (null, false);
            }

            if (!await entry.Gate.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
            {
                return (null, true);
            }

            if (!entry.Removed)
            {
                return (entry, false);
            }

            entry.Gate.Release();
        }
    }

    /// <summary>A snapshot of the ids, sorted ordinally (transfer pages through it).</summary>
    public IReadOnlyList<string> SortedIds() => [.. _entries.Keys.Order(StringComparer.Ordinal)];

    public IEnumerable<ReplicaEntry> Entries => _entries.Values;

    /// <summary>Sets <paramref name="entry"/>'s state (null: forget the id). Call holding the entry's gate.</summary>
    public void Publish(ReplicaEntry entry, ReplicaState? state)
    {
        var old = entry.State;
        entry.State = state;
        Account(old, -1);
        Account(state, +1);
        var oldPrincipal = old?.Session?.Principal;
        var newPrincipal = state?.Session?.Principal;
        var oldId = old?.Session is not null ? entry.Id : null;
        var newId = state?.Session is not null ? entry.Id : null;
        if (oldPrincipal != newPrincipal || oldId != newId)
        {
            lock (_indexGate)
            {
                if (oldPrincipal is not null && _byPrincipal.TryGetValue(oldPrincipal, out var set))
                {
                    set.Remove(entry.Id);
                    if (set.Count == 0)
                    {
                        _byPrincipal.Remove(oldPrincipal);
                    }
                }

                if (newPrincipal is not null && newId is not null)
                {
                    if (!_byPrincipal.TryGetValue(newPrincipal, out set))
                    {
                        _byPrincipal[newPrincipal] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(entry.Id);
                }
            }
        }

        if (state is null)
        {
            entry.Removed = true;
            _entries.TryRemove(new KeyValuePair<string, ReplicaEntry>(entry.Id, entry));
        }
    }

    /// <summary>The ids of the live sessions bound to <paramref name="principal"/>.</summary>
    public IReadOnlyList<string> IdsOf(string principal)
    {
        lock (_indexGate)
        {
            return _byPrincipal.TryGetValue(principal, out var set) ? [.. set] : [];
        }
    }

    private void Account(ReplicaState? state, int sign)
    {
        if (state is null)
        {
            return;
        }

        if (state.Session is { } session)
        {
            Interlocked.Add(ref _liveSessions, sign);
            Interlocked.Add(ref _liveBytes, sign * SessionSize.Of(session));
        }
        else
        {
            Interlocked.Add(ref _tombstones, sign);
        }
    }
}
