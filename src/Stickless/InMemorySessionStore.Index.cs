namespace Stickless;

public sealed partial class InMemorySessionStore
{
    /// <inheritdoc />
    /// <remarks>Principals compare ordinally (case-sensitive); normalize user names before binding them.</remarks>
    public ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        List<SessionLifecycleEvent>? events = null;
        IReadOnlyList<SessionSummary> found = FindByPrincipal(principal, now, ref events);
        return events is null ? new ValueTask<IReadOnlyList<SessionSummary>>(found) : PublishThenReturnAsync(events, found);
    }

    private List<SessionSummary> FindByPrincipal(string principal, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        string[] ids;
        lock (_indexGate)
        {
            if (!_byPrincipal.TryGetValue(principal, out var set))
            {
                return [];
            }

            ids = [.. set];
        }

        var found = new List<SessionSummary>(ids.Length);
        foreach (var id in ids)
        {
            if (!_sessions.TryGetValue(id, out var entry))
            {
                PruneIfAbsent(principal, id);
                continue;
            }

            var state = entry.State;
            if (state is not null && !state.IsExpiredAt(now) && string.Equals(state.Session.Principal, principal, StringComparison.Ordinal))
            {
                found.Add(state.Session.ToSummary());
                continue;
            }

            // Decide under the session's gate: commits change the principal and the index under it too.
            lock (entry.Gate)
            {
                state = entry.State;
                if (state is null)
                {
                    PruneIfAbsent(principal, id);
                }
                else if (state.IsExpiredAt(now))
                {
                    Kill(entry, state, SessionEventKind.Expired, now, ref events);
                }
                else if (!string.Equals(state.Session.Principal, principal, StringComparison.Ordinal))
                {
                    IndexRemove(principal, id);
                }
                else
                {
                    found.Add(state.Session.ToSummary());
                }
            }
        }

        return found;
    }

    private void IndexAdd(string principal, string sessionId)
    {
        lock (_indexGate)
        {
            if (!_byPrincipal.TryGetValue(principal, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _byPrincipal.Add(principal, set);
            }

            set.Add(sessionId);
        }
    }

    private void IndexRemove(string principal, string sessionId)
    {
        lock (_indexGate)
        {
            RemoveFromIndexLocked(principal, sessionId);
        }
    }

    /// <summary>Drops an index entry whose session is gone, unless it came back meanwhile (checked under the index lock).</summary>
    private void PruneIfAbsent(string principal, string sessionId)
    {
        lock (_indexGate)
        {
            if (!_sessions.ContainsKey(sessionId))
            {
                RemoveFromIndexLocked(principal, sessionId);
            }
        }
    }

    private void RemoveFromIndexLocked(string principal, string sessionId)
    {
        if (_byPrincipal.TryGetValue(principal, out var set) && set.Remove(sessionId) && set.Count == 0)
        {
            _byPrincipal.Remove(principal);
        }
    }

    /// <summary>The number of ids the per-user index holds for <paramref name="principal"/> (for tests).</summary>
    internal int IndexedSessionCount(string principal)
    {
        lock (_indexGate)
        {
            return _byPrincipal.TryGetValue(principal, out var set) ? set.Count : 0;
        }
    }
}
