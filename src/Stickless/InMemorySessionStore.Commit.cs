namespace Stickless;

public sealed partial class InMemorySessionStore
{
    private static readonly IReadOnlyDictionary<string, long> NoNewVersions = new Dictionary<string, long>(0);

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Compare-and-set compares <see cref="AttributeChange.ExpectedVersion"/> with the version stored before
    /// this change set (before <see cref="SessionChangeSet.ClearAttributes"/> applies). Every attribute the
    /// change set sets gets the same new version: the session's counter plus one.
    /// </para>
    /// <para>
    /// A commit through a grace alias applies to the renamed session. A rename whose new id is taken (never
    /// expected with 256-bit random ids) answers <see cref="CommitStatus.AlreadyExists"/> and applies nothing.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The change set is inconsistent: a create without a positive idle timeout or without an absolute expiry,
    /// a create that also renames, a rename to the same id, or an empty attribute name.
    /// </exception>
    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Validate(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        List<SessionLifecycleEvent>? events = null;
        var result = changes.IsNew ? Create(changes, now, ref events) : Update(changes, now, ref events);
        return events is null ? new ValueTask<CommitResult>(result) : PublishThenReturnAsync(events, result);
    }

    private static void Validate(SessionChangeSet changes)
    {
        ArgumentException.ThrowIfNullOrEmpty(changes.SessionId, nameof(changes));
        ArgumentNullException.ThrowIfNull(changes.Attributes, nameof(changes));
        if (changes.IsNew)
        {
            if (changes.IdleTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"A new session needs a positive {nameof(SessionChangeSet.IdleTimeout)} (was {changes.IdleTimeout}).", nameof(changes));
            }

            if (changes.AbsoluteExpiry == default)
            {
                throw new ArgumentException($"A new session needs an {nameof(SessionChangeSet.AbsoluteExpiry)}.", nameof(changes));
            }

            if (changes.NewSessionId is not null)
            {
                throw new ArgumentException($"A new session is created under its final id: {nameof(SessionChangeSet.NewSessionId)} must be null when {nameof(SessionChangeSet.IsNew)} is true.", nameof(changes));
            }
        }

        if (changes.NewSessionId is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(changes.NewSessionId, nameof(changes));
            if (string.Equals(changes.NewSessionId, changes.SessionId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{nameof(SessionChangeSet.NewSessionId)} must differ from {nameof(SessionChangeSet.SessionId)}.", nameof(changes));
            }
        }

        if (changes.RotationGrace < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(SessionChangeSet.RotationGrace)} must not be negative (was {changes.RotationGrace}).", nameof(changes));
        }

        foreach (var name in changes.Attributes.Keys)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("Attribute names must not be empty.", nameof(changes));
            }
        }
    }

    private CommitResult Create(SessionChangeSet changes, DateTimeOffset now, ref List<SessionLifecycleEvent>? events)
    {
        var id = changes.SessionId;

        // Nothing exists yet, so a compare-and-set can only expect "absent" (0).
        Dictionary<string, SessionAttribute?>? conflicts = null;
        foreach (var (name, change) in changes.Attributes)
        {
            if (change.ExpectedVersion is { } expected && expected != 0)
            {
                (conflicts ??= new(StringComparer.Ordinal))[name] = null;
            }
        }

        if (conflicts is not null)
        {
            return CommitResult.Conflict(conflicts);
        }

        var attributes = new Dictionary<string, SessionAttribute>(changes.Attributes.Count, StringComparer.Ordinal);
        var newVersions = ApplyAttributes(attributes, changes, newVersion: 1);
        var principal = changes.SetsPrincipal ? changes.Principal : null;
        var state = InMemorySessionState.Create(id, now, changes.IdleTimeout, changes.AbsoluteExpiry)
            .With(id, now, principal, InMemoryAttributeMap.Wrap(attributes), newVersions.Count > 0 ? 1 : 0, []);
        var entry = new InMemorySessionEntry(state);

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
                    return CommitResult.Committed(newVersions);
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
        var record = state.Record;
        var current = state.Attributes;
        Dictionary<string, SessionAttribute?>? conflicts = null;
        foreach (var (name, change) in changes.Attributes)
        {
            if (change.ExpectedVersion is not { } expected)
            {
                continue;
            }

            var exists = current.TryGetValue(name, out var stored);
            if ((exists ? stored.Version : 0) != expected)
            {
                (conflicts ??= new(StringComparer.Ordinal))[name] = exists ? stored : null;
            }
        }

        if (conflicts is not null)
        {
            return CommitResult.Conflict(conflicts);
        }

        var attributes = current;
        var lastVersion = state.LastVersion;
        var newVersions = NoNewVersions;
        if (changes.ClearAttributes || changes.Attributes.Count > 0)
        {
            var rebuilt = changes.ClearAttributes
                ? new Dictionary<string, SessionAttribute>(changes.Attributes.Count, StringComparer.Ordinal)
                : current.CopyContents(changes.Attributes.Count);
            newVersions = ApplyAttributes(rebuilt, changes, lastVersion + 1);
            if (newVersions.Count > 0)
            {
                lastVersion++;
            }

            attributes = InMemoryAttributeMap.Wrap(rebuilt);
        }

        var oldId = record.Id;
        var oldPrincipal = record.Principal;
        var principal = changes.SetsPrincipal ? changes.Principal : oldPrincipal;
        var lastAccessedAt = changes.Touch ? now : record.LastAccessedAt;

        if (changes.NewSessionId is not { } newId)
        {
            entry.State = state.With(oldId, lastAccessedAt, principal, attributes, lastVersion, state.AliasIds);
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

            return CommitResult.Committed(newVersions);
        }

        return Rename(entry, state, newId, changes.RotationGrace, lastAccessedAt, principal, attributes, lastVersion, newVersions, now, ref events);
    }

    /// <summary>Moves a session to <paramref name="newId"/> in one step. Must be called holding <paramref name="entry"/>'s gate.</summary>
    private CommitResult Rename(
        InMemorySessionEntry entry,
        InMemorySessionState state,
        string newId,
        TimeSpan grace,
        DateTimeOffset lastAccessedAt,
        string? principal,
        InMemoryAttributeMap attributes,
        long lastVersion,
        IReadOnlyDictionary<string, long> newVersions,
        DateTimeOffset now,
        ref List<SessionLifecycleEvent>? events)
    {
        var oldId = state.Record.Id;
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

        var renamed = new InMemorySessionEntry(state.With(newId, lastAccessedAt, principal, attributes, lastVersion, [.. aliasIds]));

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

            if (state.Record.Principal is { } oldPrincipal)
            {
                IndexRemove(oldPrincipal, oldId);
            }

            if (principal is not null)
            {
                IndexAdd(principal, newId);
            }
        }

        AddEvent(ref events, SessionEventKind.IdRenewed, oldId, newId, principal, now);
        return CommitResult.Committed(newVersions);
    }

    /// <summary>Applies the attribute changes to <paramref name="attributes"/>; returns the versions of those set.</summary>
    private static IReadOnlyDictionary<string, long> ApplyAttributes(Dictionary<string, SessionAttribute> attributes, SessionChangeSet changes, long newVersion)
    {
        Dictionary<string, long>? newVersions = null;
        foreach (var (name, change) in changes.Attributes)
        {
            if (change.IsRemoval)
            {
                attributes.Remove(name);
            }
            else
            {
                // Copied: the caller may reuse its buffer, and the stored value must never change.
                attributes[name] = new SessionAttribute(change.Value.ToArray(), newVersion);
                (newVersions ??= new(StringComparer.Ordinal))[name] = newVersion;
            }
        }

        return newVersions ?? NoNewVersions;
    }
}
