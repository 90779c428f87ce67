namespace Stickless;

public sealed partial class InMemorySessionStore
{
    /// <summary>The number of grace aliases held (for tests).</summary>
    internal int AliasCount => _aliases.Count;

    /// <summary>
    /// Removes every session that has expired and every grace alias past its deadline, raising
    /// <see cref="SessionEventKind.Expired"/> for each session. Runs every <see cref="SweepInterval"/>.
    /// </summary>
    /// <returns>The number of sessions removed.</returns>
    internal int SweepExpired()
    {
        var now = _time.GetUtcNow();
        List<SessionLifecycleEvent>? events = null;
        var removed = 0;
        foreach (var (_, entry) in _sessions)
        {
            var state = entry.State;
            if (state is not null && state.IsExpiredAt(now))
            {
                lock (entry.Gate)
                {
                    state = entry.State;
                    if (state is not null && state.IsExpiredAt(now))
                    {
                        Kill(entry, state, SessionEventKind.Expired, now, ref events);
                        removed++;
                    }
                }
            }
        }

        foreach (var alias in _aliases)
        {
            if (now >= alias.Value.Until)
            {
                _aliases.TryRemove(alias);
            }
        }

        if (removed > 0)
        {
            LogSwept(_logger, removed, _sessions.Count);
        }

        if (events is not null)
        {
            // The timer thread does not wait for observers; the publisher logs their failures.
            _ = PublishAsync(events);
        }

        return removed;
    }

    private void OnSweepTimer()
    {
        // A sweep slower than the interval must not pile up behind itself.
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            SweepExpired();
        }
        catch (Exception ex)
        {
            LogSweepFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
