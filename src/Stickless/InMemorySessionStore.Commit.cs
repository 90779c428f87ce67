namespace Stickless;

public sealed partial class InMemorySessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// The change set is decided by <see cref="ChangeSetApplier"/> (compare-and-set against the versions stored before the
    /// change set, one new version for everything it writes, commutative operations applied to what is stored) under the
    /// session's lock; this store adds where the session lives: its slot, its grace aliases and the per-user index.
    /// </para>
    /// <para>
    /// A commit through a grace alias applies to the renamed session. A rename whose new id is taken (never
    /// expected with 256-bit random ids) answers <see cref="CommitStatus.AlreadyExists"/> and applies nothing.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">The change set is inconsistent (see <see cref="ChangeSetApplier.Validate"/>).</exception>
    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        ChangeSetApplier.Validate(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        List<SessionLifecycleEvent>? events = null;
        var result = changes.IsNew ? Create(changes, now, ref events) : Update(changes, now, ref events);
        return events is null ? new ValueTask<CommitResult>(result) : PublishThenReturnAsync(events, result);
    }

    private CommitResult Create(SessionChangeSet changes, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        var id = changes.SessionId;
        var outcome = ChangeSetApplier.Apply(null, changes, now);
        if (outcome.Session is not { } session)
        {
            return outcome.Result;
        }

        var principal = session.Principal;
        var entry = new InMemorySessionEntry(new InMemorySessionState(session, [], 1));

        // Holding the new entry's gate while it is published means nobody can change it before it is indexed.
        // Nobody else can hold it yet, so taking another entry's gate inside it cannot deadlock.
        lock (entry.Gate)
        {
            for (var attempt = 0; attempt < MaxResolveAttempts; attempt++)
            {
                if (_aliases.TryGetValue(id, out var alias) && now < alias.Until)
                {
                    return CommitResult.AlreadyExists;
                }

                if (_sessions.TryAdd(id, entry))
                {
                    if (principal is not null)
                    {
                        IndexAdd(principal, id);
                    }

                    AddEvent(ref events, SessionEventKind.Created, id, null, principal, now);
                    return outcome.Result.WithSequence(1, now);
                }

                if (_sessions.TryGetValue(id, out var existing))
                {
                    lock (existing.Gate)
                    {
                        var existingState = existing.State;
                        if (existingState is not null && !existingState.IsExpiredAt(now))
                        {
                            return CommitResult.AlreadyExists;
                        }

                        if (existingState is not null)
                        {
                            Kill(existing, existingState, SessionEventKind.Expired, now, ref events);
                        }
                    }
                }
            }
        }

        return CommitResult.AlreadyExists;
    }

    private CommitResult Update(SessionChangeSet changes, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        for (var attempt = 0; attempt < MaxResolveAttempts; attempt++)
        {
            var entry = Resolve(changes.SessionId, now, out _);
            if (entry is null)
            {
                return CommitResult.NotFound;
            }

            lock (entry.Gate)
            {
                var state = entry.State;
                if (state is null)
                {
                    // Deleted, expired or renamed while this commit waited: look again (it may be an alias now).
                    continue;
                }

                if (state.IsExpiredAt(now))
                {
                    Kill(entry, state, SessionEventKind.Expired, now, ref events);
                    return CommitResult.NotFound;
                }

                return Apply(entry, state, changes, now, ref events);
            }
        }

        return CommitResult.NotFound;
    }

    /// <summary>Applies a change set to a live session. Must be called holding <paramref name="entry"/>'s gate.</summary>
    private CommitResult Apply(InMemorySessionEntry entry, InMemorySessionState state, SessionChangeSet changes, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        // A commit through an alias names the old id; the applier works on the session under its current id.
        var effective = string.Equals(changes.SessionId, state.Session.Id, StringComparison.Ordinal) ? changes : Retarget(changes, state.Session.Id);
        var outcome = ChangeSetApplier.Apply(state.Session, effective, now);
        if (outcome.Session is not { } next)
        {
            return outcome.Result;
        }

        var oldId = state.Session.Id;
        var oldPrincipal = state.Session.Principal;
        var principal = next.Principal;
        if (effective.NewSessionId is null)
        {
            var sequence = state.Sequence + 1;
            entry.State = new InMemorySessionState(next, state.AliasIds, sequence);
            Invalidate(oldId, sequence);
            if (!string.Equals(oldPrincipal, principal, StringComparison.Ordinal))
            {
                if (oldPrincipal is not null)
                {
                    IndexRemove(oldPrincipal, oldId);
                }

                if (principal is not null)
                {
                    IndexAdd(principal, oldId);
                }
            }

            return outcome.Result.WithSequence(sequence, now);
        }

        return Rename(entry, state, next, effective.RotationGrace, outcome.Result, now, ref events);
    }

    /// <summary>Moves a session to its new id in one step. Must be called holding <paramref name="entry"/>'s gate.</summary>
    private CommitResult Rename(
        InMemorySessionEntry entry,
        InMemorySessionState state,
        StoredSession renamedSession,
        TimeSpan grace,
        CommitResult result,
        DateTimeOffset now,
        ref List<SessionLifecycleEvent>? events)
    {
        var oldId = state.Session.Id;
        var newId = renamedSession.Id;
        var principal = renamedSession.Principal;
        if (_aliases.TryGetValue(newId, out var taken) && now < taken.Until)
        {
            LogRenameCollision(_logger);
            return CommitResult.AlreadyExists;
        }

        // Aliases of earlier rotations follow the session, so an alias never points at another alias.
        var aliasIds = new List<string>(state.AliasIds.Length + 1);
        foreach (var aliasId in state.AliasIds)
        {
            if (_aliases.TryGetValue(aliasId, out var alias) && alias.TargetId == oldId && now < alias.Until)
            {
                aliasIds.Add(aliasId);
            }
        }

        if (grace > TimeSpan.Zero)
        {
            aliasIds.Add(oldId);
        }

        var renamed = new InMemorySessionEntry(new InMemorySessionState(renamedSession, [.. aliasIds], state.Sequence + 1));

        // Same reasoning as in Create: the new entry is unpublished, so its gate is free and nobody waits on it.
        lock (renamed.Gate)
        {
            if (!_sessions.TryAdd(newId, renamed))
            {
                LogRenameCollision(_logger);
                return CommitResult.AlreadyExists;
            }

            foreach (var aliasId in aliasIds)
            {
                if (aliasId != oldId && _aliases.TryGetValue(aliasId, out var alias))
                {
                    _aliases.TryUpdate(aliasId, alias with { TargetId = newId }, alias);
                }
            }

            // The alias exists before the old entry dies, so a writer that finds the old entry dead and looks
            // again finds the alias.
            if (grace > TimeSpan.Zero)
            {
                _aliases[oldId] = new InMemoryGraceAlias(newId, now + grace);
            }

            entry.State = null;
            _sessions.TryRemove(new KeyValuePair<string, InMemorySessionEntry>(oldId, entry));
            Invalidate(oldId, SessionInvalidation.Dead);

            if (state.Session.Principal is { } oldPrincipal)
            {
                IndexRemove(oldPrincipal, oldId);
            }

            if (principal is not null)
            {
                IndexAdd(principal, newId);
            }
        }

        AddEvent(ref events, SessionEventKind.IdRenewed, oldId, newId, principal, now);
        return result.WithSequence(state.Sequence + 1, now);
    }

    private static SessionChangeSet Retarget(SessionChangeSet changes, string sessionId) => new()
    {
        SessionId = sessionId,
        IsNew = changes.IsNew,
        Now = changes.Now,
        IdleTimeout = changes.IdleTimeout,
        AbsoluteExpiry = changes.AbsoluteExpiry,
        Touch = changes.Touch,
        ClearAttributes = changes.ClearAttributes,
        Attributes = changes.Attributes,
        SetsPrincipal = changes.SetsPrincipal,
        Principal = changes.Principal,
        NewSessionId = string.Equals(changes.NewSessionId, sessionId, StringComparison.Ordinal) ? null : changes.NewSessionId,
        RotationGrace = changes.RotationGrace,
    };
}
