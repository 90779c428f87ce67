using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stickless;

/// <summary>
/// Sessions in the memory of this process: the default store, and the "local" and "sticky" strategies of
/// the lab. Keeps every rule of <see cref="ISessionStore"/> on one node: atomic commits that never
/// resurrect, compare-and-set per attribute, touch throttle, idle and absolute expiry by the injected
/// <see cref="TimeProvider"/>, id rotation with an optional grace alias, and a per-user index.
/// </summary>
/// <remarks>
/// <para>
/// Each session is an immutable state replaced as a whole by every commit (copy on write), so a load takes
/// no lock and hands out the stored <see cref="SessionRecord"/> itself, without copying: a read-only load
/// that does not touch allocates nothing. Writers of one session are serialized by a lock per session;
/// different sessions never contend.
/// </para>
/// <para>
/// Timestamps (creation, last access, grace deadlines) and expiry come from the store's own clock, the
/// <see cref="TimeProvider"/> given to the constructor; <see cref="SessionLoadOptions.Now"/> and
/// <see cref="SessionChangeSet.Now"/> are not used. Expired sessions are removed when they are next
/// reached and, once the store is started (<see cref="ISessionStoreLifecycle"/>, done by the host), by a sweep every
/// <see cref="SweepInterval"/>, which raises <see cref="SessionEventKind.Expired"/> for each, so memory does not grow
/// with dead sessions.
/// </para>
/// <para>
/// Lifecycle events are published after the change, outside any lock, with <see cref="CancellationToken.None"/>
/// (a change that happened is reported even if the caller gives up). Ids are never logged.
/// </para>
/// </remarks>
public sealed partial class InMemorySessionStore : ISessionStore, ISessionStoreLifecycle, ISessionInvalidationSource, IDisposable
{
    /// <summary>How often expired sessions and grace aliases are swept: 30 seconds.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    // A writer that finds an entry dead looks the id up again; a dead entry leaves the map at once, so a
    // few attempts always suffice. The bound only guards against a bug turning into a spin.
    private const int MaxResolveAttempts = 16;

    private readonly ConcurrentDictionary<string, InMemorySessionEntry> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InMemoryGraceAlias> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byPrincipal = new(StringComparer.Ordinal);
    private readonly Lock _indexGate = new();
    private readonly TimeProvider _time;
    private readonly SessionEventPublisher _events;
    private readonly ILogger _logger;
    private readonly Lock _timerGate = new();
    private ITimer? _sweepTimer;
    private int _sweeping;

    /// <summary>Creates an empty store; its expiry sweep runs once it is started (<see cref="StartAsync"/>).</summary>
    /// <param name="timeProvider">The store's clock: expiry, timestamps and the sweep timer all use it.</param>
    /// <param name="events">Where lifecycle events go (<see cref="SessionEventPublisher.None"/> for nowhere).</param>
    /// <param name="logger">Optional logger.</param>
    public InMemorySessionStore(TimeProvider timeProvider, SessionEventPublisher events, ILogger<InMemorySessionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(events);
        _time = timeProvider;
        _events = events;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => SticklessOptions.InMemoryStoreName;

    /// <summary>The number of sessions held, including any that expired since the last sweep.</summary>
    public int SessionCount => _sessions.Count;

    /// <inheritdoc />
    public ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        List<SessionLifecycleEvent>? events = null;
        var record = Load(sessionId, options.TouchAfter, now, ref events);
        return events is null ? new ValueTask<SessionRecord?>(record) : PublishThenReturnAsync(events, record);
    }

    /// <inheritdoc />
    /// <remarks>When <paramref name="sessionId"/> is a grace alias, the session it names is deleted.</remarks>
    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        List<SessionLifecycleEvent>? events = null;
        var deleted = Delete(sessionId, now, ref events);
        return events is null ? new ValueTask<bool>(deleted) : PublishThenReturnAsync(events, deleted);
    }

    /// <inheritdoc />
    /// <remarks>Always completes at once: memory is always reachable.</remarks>
    public ValueTask PingAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    /// <summary>Starts the expiry sweep (every <see cref="SweepInterval"/>, on the store's <see cref="TimeProvider"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_timerGate)
        {
            _sweepTimer ??= _time.CreateTimer(static state => ((InMemorySessionStore)state!).OnSweepTimer(), this, SweepInterval, SweepInterval);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the expiry sweep. The sessions stay readable; expired ones are still removed when reached.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops the expiry sweep. The sessions stay readable; expired ones are still removed when reached.</summary>
    public void Dispose()
    {
        lock (_timerGate)
        {
            _sweepTimer?.Dispose();
            _sweepTimer = null;
        }
    }

    private SessionRecord? Load(string sessionId, TimeSpan touchAfter, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        for (var attempt = 0; attempt < MaxResolveAttempts; attempt++)
        {
            var entry = Resolve(sessionId, now, out var viaAlias);
            if (entry is null)
            {
                return null;
            }

            var state = entry.State;
            if (state is null)
            {
                continue;
            }

            if (state.IsExpiredAt(now))
            {
                Expire(entry, now, ref events);
                return null;
            }

            if (now - state.Session.LastAccessedAt < touchAfter)
            {
                return state.ToLoadResult(touched: false, viaAlias);
            }

            lock (entry.Gate)
            {
                state = entry.State;
                if (state is null)
                {
                    continue;
                }

                if (state.IsExpiredAt(now))
                {
                    Kill(entry, state, SessionEventKind.Expired, now, ref events);
                    return null;
                }

                // Another load may have touched it while this one waited for the lock.
                if (now - state.Session.LastAccessedAt < touchAfter)
                {
                    return state.ToLoadResult(touched: false, viaAlias);
                }

                var touched = state.WithTouch(now);
                entry.State = touched;
                Invalidate(touched.Session.Id, touched.Sequence);
                return touched.ToLoadResult(touched: true, viaAlias);
            }
        }

        return null;
    }

    private bool Delete(string sessionId, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        for (var attempt = 0; attempt < MaxResolveAttempts; attempt++)
        {
            var entry = Resolve(sessionId, now, out _);
            if (entry is null)
            {
                return false;
            }

            lock (entry.Gate)
            {
                var state = entry.State;
                if (state is null)
                {
                    continue;
                }

                var expired = state.IsExpiredAt(now);
                Kill(entry, state, expired ? SessionEventKind.Expired : SessionEventKind.Deleted, now, ref events);
                return !expired;
            }
        }

        return false;
    }

    /// <summary>Finds the entry that <paramref name="sessionId"/> names, directly or through a live grace alias.</summary>
    private InMemorySessionEntry? Resolve(string sessionId, DateTimeOffset now, out bool viaAlias)
    {
        viaAlias = false;
        if (_sessions.TryGetValue(sessionId, out var entry))
        {
            return entry;
        }

        if (_aliases.TryGetValue(sessionId, out var alias))
        {
            if (now >= alias.Until)
            {
                _aliases.TryRemove(new KeyValuePair<string, InMemoryGraceAlias>(sessionId, alias));
                return null;
            }

            if (_sessions.TryGetValue(alias.TargetId, out entry))
            {
                viaAlias = true;
                return entry;
            }
        }

        return null;
    }

    /// <summary>Kills <paramref name="entry"/> if it is expired at <paramref name="now"/>.</summary>
    private void Expire(InMemorySessionEntry entry, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        lock (entry.Gate)
        {
            var state = entry.State;
            if (state is not null && state.IsExpiredAt(now))
            {
                Kill(entry, state, SessionEventKind.Expired, now, ref events);
            }
        }
    }

    /// <summary>
    /// Ends a session for good: the entry dies, leaves the map, its grace aliases and its index entry go.
    /// Must be called holding <paramref name="entry"/>'s gate, with <paramref name="state"/> its current state.
    /// </summary>
    private void Kill(InMemorySessionEntry entry, InMemorySessionState state, SessionEventKind kind, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        var id = state.Session.Id;
        entry.State = null;
        _sessions.TryRemove(new KeyValuePair<string, InMemorySessionEntry>(id, entry));
        Invalidate(id, SessionInvalidation.Dead);
        foreach (var aliasId in state.AliasIds)
        {
            if (_aliases.TryGetValue(aliasId, out var alias) && alias.TargetId == id)
            {
                _aliases.TryRemove(new KeyValuePair<string, InMemoryGraceAlias>(aliasId, alias));
            }
        }

        if (state.Session.Principal is { } principal)
        {
            IndexRemove(principal, id);
        }

        AddEvent(ref events, kind, id, null, state.Session.Principal, now);
    }

    private void AddEvent(ref List<SessionLifecycleEvent>? events, SessionEventKind kind, string sessionId, string? newSessionId, string? principal, DateTimeOffset now)
    {
        if (_events.HasObservers)
        {
            (events ??= []).Add(new SessionLifecycleEvent(kind, sessionId, newSessionId, principal, now));
        }
    }

    private async ValueTask<T> PublishThenReturnAsync<T>(List<SessionLifecycleEvent> events, T result)
    {
        await PublishAsync(events).ConfigureAwait(false);
        return result;
    }

    private async Task PublishAsync(List<SessionLifecycleEvent> events)
    {
        foreach (var sessionEvent in events)
        {
            await _events.PublishAsync(sessionEvent, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
