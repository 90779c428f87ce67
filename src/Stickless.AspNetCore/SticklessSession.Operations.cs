namespace Stickless.AspNetCore;

internal sealed partial class SticklessSession
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMilliseconds(20);

    public async ValueTask<T> UpdateAsync<T>(string key, Func<T?, T> update, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(update);
        EnsureAvailable();
        var maxAttempts = _runtime.Policy.MaxUpdateAttempts;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            if (!_exists)
            {
                // Creating the session needs its id to reach the client.
                EnsureCanSendId();
            }

            // The lane is this request's alone while it builds and sends the compare-and-set: it first takes what this
            // node's earlier commits left in the store, so updates made on this node never conflict with each other.
            T next;
            SessionChangeSet changes;
            CommitResult result;
            using (var turn = await _runtime.Pipeline.TakeTurnAsync(_exists ? Lane() : null, cancellationToken).ConfigureAwait(false))
            {
                AdoptNewer(turn.Latest());
                var current = TryGetRaw(key, out var bytes) && SessionAttributeSerializer.TryDeserialize<T>(bytes.Span, out var decoded) ? decoded : default;
                next = update(current);
                var value = SessionAttributeSerializer.Serialize(next);
                var (count, total) = MeasureAfterSet(key, value.Length);
                SessionLimitGuard.EnsureWithinLimits(_runtime.Policy.Limits, key, value.Length, count, total);

                // Compare-and-set against the stored version, unless this request already overwrote or cleared the
                // attribute blindly (then the whole write is blind: what the store holds now is discarded anyway).
                long? expected = !_exists || _clearAttributes || (_changes?.ContainsKey(key) ?? false)
                    ? null
                    : _stored.TryGetValue(key, out var storedAttribute) ? storedAttribute.Version : 0;
                var attributes = new Dictionary<string, AttributeChange>(_changes ?? [], StringComparer.Ordinal)
                {
                    [key] = AttributeChange.Set(value, expected),
                };

                changes = BuildChangeSet(attributes, newSessionId: null, rotationGrace: TimeSpan.Zero, setsPrincipal: false, principal: null);
                result = await turn.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                _runtime.Metrics.Committed(_runtime.Store.StoreName, result.Status);
            }

            switch (result.Status)
            {
                case CommitStatus.Committed:
                    Applied(changes, result);
                    return next;
                case CommitStatus.Conflict:
                    _runtime.Metrics.Conflict(_runtime.Store.StoreName);
                    SticklessLog.UpdateConflict(_runtime.Logger, key, Handle, attempt);
                    AdoptConflicts(result);
                    if (attempt < maxAttempts)
                    {
                        await BackOffAsync(attempt, maxAttempts, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case CommitStatus.AlreadyExists:
                    SticklessLog.IdCollision(_runtime.Logger, _runtime.Store.StoreName);
                    ReplaceUnstoredId();
                    break;
                case CommitStatus.NotFound:
                    // Gone meanwhile: the update goes into a brand-new session, never into the dead one.
                    SticklessLog.SessionGoneOnCommit(_runtime.Logger, Handle);
                    ResetToFresh(clearClientId: true);
                    break;
            }
        }

        SticklessLog.UpdateGaveUp(_runtime.Logger, key, Handle, maxAttempts);
        throw new SessionUpdateConflictException(key, maxAttempts);
    }

    public async ValueTask<long> IncrementAsync(string key, long delta = 1, CancellationToken cancellationToken = default)
    {
        var (after, own) = await OperateAsync(key, AttributeChange.Increment(delta), "a counter (a JSON integer), or the sum would overflow", cancellationToken).ConfigureAwait(false);

        // Summed with other requests' increments in one store call: the value this increment gave, as if one after the other.
        if (own is { } mine)
        {
            return mine;
        }

        return after is { } attribute && SessionAttributeSerializer.TryDeserialize<long>(attribute.Value.Span, out var value) ? value : 0;
    }

    public ValueTask<IReadOnlyList<T>> AddToSetAsync<T>(string key, T member, CancellationToken cancellationToken = default) =>
        SetOperationAsync(key, member, add: true, cancellationToken);

    public ValueTask<IReadOnlyList<T>> RemoveFromSetAsync<T>(string key, T member, CancellationToken cancellationToken = default) =>
        SetOperationAsync(key, member, add: false, cancellationToken);

    private async ValueTask<IReadOnlyList<T>> SetOperationAsync<T>(string key, T member, bool add, CancellationToken cancellationToken)
    {
        var json = SessionAttributeSerializer.Serialize(member);
        var change = add ? AttributeChange.AddToSet(json) : AttributeChange.RemoveFromSet(json);
        var (after, _) = await OperateAsync(key, change, "a set (a JSON array)", cancellationToken).ConfigureAwait(false);
        return after is { } attribute && SessionAttributeSerializer.TryDeserialize<T[]>(attribute.Value.Span, out var members) && members is not null ? members : [];
    }

    /// <summary>
    /// Commits one attribute operation now, with the pending delta; the store applies it to what it holds. Returns what the
    /// attribute holds after it, and for an increment summed with other requests', the value this one gave.
    /// </summary>
    private async ValueTask<(SessionAttribute? After, long? OwnIncrement)> OperateAsync(string key, AttributeChange operation, string expectedShape, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        EnsureAvailable();
        if (_changes?.ContainsKey(key) == true || _clearAttributes)
        {
            // A pending write of the same attribute (or a clear) must land first: the operation applies to it.
            await CommitPendingAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = TryGetRaw(key, out var bytes) ? bytes.Length : 0;
        var (count, total) = MeasureAfterSet(key, current + operation.Value.Length + 24);
        SessionLimitGuard.EnsureWithinLimits(_runtime.Policy.Limits, key, current + operation.Value.Length + 24, count, total);
        for (var attempt = 1; attempt <= MaxCreateAttempts + 1; attempt++)
        {
            if (!_exists)
            {
                // Creating the session needs its id to reach the client.
                EnsureCanSendId();
            }

            var attributes = new Dictionary<string, AttributeChange>(_changes ?? [], StringComparer.Ordinal) { [key] = operation };
            var changes = BuildChangeSet(attributes, newSessionId: null, rotationGrace: TimeSpan.Zero, setsPrincipal: false, principal: null);
            var outcome = await CommitAsync(changes, cancellationToken).ConfigureAwait(false);
            var result = outcome.Result;
            switch (result.Status)
            {
                case CommitStatus.Committed:
                    Applied(changes, result);
                    return (result.OperationResults.TryGetValue(key, out var after) ? after : null,
                        outcome.OwnIncrements is { } own && own.TryGetValue(key, out var mine) ? mine : null);
                case CommitStatus.Conflict:
                    // Operations never conflict on versions: the store refused the shape of what it holds.
                    AdoptConflicts(result);
                    throw new InvalidOperationException($"The session attribute '{key}' is not {expectedShape}; the {operation.Kind} operation was refused, and nothing it was committed with was saved.");
                case CommitStatus.AlreadyExists:
                    SticklessLog.IdCollision(_runtime.Logger, _runtime.Store.StoreName);
                    ReplaceUnstoredId();
                    break;
                case CommitStatus.NotFound:
                    // Gone meanwhile: the operation goes into a brand-new session, never into the dead one.
                    SticklessLog.SessionGoneOnCommit(_runtime.Logger, Handle);
                    ResetToFresh(clearClientId: true);
                    break;
            }
        }

        throw new SessionStoreUnavailableException($"The {_runtime.Store.StoreName} session store kept refusing to create a session.");
    }

    public async ValueTask SignInAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(principal);
        EnsureAvailable();
        EnsureCanSendId();
        await RotateAsync(setsPrincipal: true, principal, TimeSpan.Zero, createIfGone: true, cancellationToken).ConfigureAwait(false);
        SticklessLog.SignedIn(_runtime.Logger, Handle);
    }

    public async ValueTask RenewIdAsync(CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        EnsureCanSendId();
        if (!_exists)
        {
            // Nothing stored yet: the session will be created under a fresh id anyway.
            if (_id is not null)
            {
                ReplaceUnstoredId();
            }

            return;
        }

        await RotateAsync(setsPrincipal: false, principal: null, _runtime.Policy.RotationGrace, createIfGone: false, cancellationToken).ConfigureAwait(false);
        SticklessLog.IdRenewed(_runtime.Logger, Handle);
    }

    public async ValueTask InvalidateAsync(CancellationToken cancellationToken = default)
    {
        // Even a degraded request tries to kill the id it presented: a logout must not be lost.
        var victim = _exists ? _id : _lookupId;
        if (victim is not null)
        {
            var handle = SessionHandle.For(victim);
            await _runtime.Store.DeleteAsync(victim, cancellationToken).ConfigureAwait(false);
            SticklessLog.Invalidated(_runtime.Logger, handle);
        }

        _available = true;
        _loadFailure = null;
        _lookupId = null;
        ResetToFresh(clearClientId: true);
    }

    public async ValueTask<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        if (_principal is null || !_exists)
        {
            return [];
        }

        var sessions = await _runtime.Store.FindByPrincipalAsync(_principal, cancellationToken).ConfigureAwait(false);
        var list = new List<SessionInfo>(sessions.Count);
        foreach (var s in sessions)
        {
            list.Add(new SessionInfo(SessionHandle.For(s.Id), s.CreatedAt, s.LastAccessedAt, s.ExpiresAt, string.Equals(s.Id, _id, StringComparison.Ordinal)));
        }

        return list;
    }

    public async ValueTask<bool> RevokeAsync(string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        EnsureAvailable();
        if (_principal is null || !_exists)
        {
            return false;
        }

        var sessions = await _runtime.Store.FindByPrincipalAsync(_principal, cancellationToken).ConfigureAwait(false);
        foreach (var s in sessions)
        {
            if (SessionHandle.Matches(s.Id, handle))
            {
                if (string.Equals(s.Id, _id, StringComparison.Ordinal))
                {
                    await InvalidateAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }

                return await _runtime.Store.DeleteAsync(s.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    public async ValueTask<int> RevokeOthersAsync(CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        if (_principal is null || !_exists)
        {
            return 0;
        }

        var sessions = await _runtime.Store.FindByPrincipalAsync(_principal, cancellationToken).ConfigureAwait(false);
        var revoked = 0;
        foreach (var s in sessions)
        {
            if (!string.Equals(s.Id, _id, StringComparison.Ordinal) && await _runtime.Store.DeleteAsync(s.Id, cancellationToken).ConfigureAwait(false))
            {
                revoked++;
            }
        }

        return revoked;
    }

    /// <summary>Rotates the id (binding a principal or not) together with the pending delta, in one commit.</summary>
    private async ValueTask RotateAsync(bool setsPrincipal, string? principal, TimeSpan grace, bool createIfGone, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var newId = SessionIds.Create();
            var changes = BuildChangeSet(_changes, newId, grace, setsPrincipal, principal);
            var result = (await CommitAsync(changes, cancellationToken).ConfigureAwait(false)).Result;
            switch (result.Status)
            {
                case CommitStatus.Committed:
                    Applied(changes, result);
                    return;
                case CommitStatus.AlreadyExists when attempt < MaxCreateAttempts:
                    SticklessLog.IdCollision(_runtime.Logger, _runtime.Store.StoreName);
                    continue;
                case CommitStatus.NotFound when createIfGone && attempt < MaxCreateAttempts:
                    // Signed out elsewhere meanwhile: sign in to a brand-new session instead.
                    SticklessLog.SessionGoneOnCommit(_runtime.Logger, Handle);
                    ResetToFresh(clearClientId: true);
                    continue;
                case CommitStatus.NotFound:
                    SticklessLog.SessionGoneOnCommit(_runtime.Logger, Handle);
                    ResetToFresh(clearClientId: true);
                    return;
                default:
                    throw new InvalidOperationException($"The {_runtime.Store.StoreName} session store answered {result.Status} to an id rotation.");
            }
        }
    }

    /// <summary>Takes the attributes this node's commits left in the store where they are newer than this request's snapshot.</summary>
    private void AdoptNewer(KeyValuePair<string, SessionAttribute>[] latest)
    {
        Dictionary<string, SessionAttribute>? stored = null;
        foreach (var (name, attribute) in latest)
        {
            if (!_stored.TryGetValue(name, out var mine) || mine.Version < attribute.Version)
            {
                stored ??= _storedCopy ??= new Dictionary<string, SessionAttribute>(_stored, StringComparer.Ordinal);
                stored[name] = attribute;
            }
        }

        if (stored is not null)
        {
            _stored = stored;
        }
    }

    private void AdoptConflicts(CommitResult result)
    {
        var stored = _storedCopy ??= new Dictionary<string, SessionAttribute>(_stored, StringComparer.Ordinal);
        _stored = stored;
        foreach (var (name, current) in result.Conflicts)
        {
            if (current is { } attribute)
            {
                stored[name] = attribute;
            }
            else
            {
                stored.Remove(name);
            }
        }
    }

    // First retry at once (the fresh value came with the conflict); then a jittered wait so that contenders
    // stop colliding in lockstep. The ceiling doubles from 2 ms up to 20 ms, and never exceeds
    // StoreTimeout / MaxUpdateAttempts: all the waits of one update add up to at most the store timeout.
    private Task BackOffAsync(int attempt, int maxAttempts, CancellationToken cancellationToken)
    {
        if (attempt < 2)
        {
            return Task.CompletedTask;
        }

        var ceiling = Math.Min(
            Math.Min(TimeSpan.FromMilliseconds(1 << Math.Min(attempt, 5)).Ticks, MaxBackOff.Ticks),
            _runtime.Options.StoreTimeout.Ticks / maxAttempts);
        if (ceiling <= 0)
        {
            return Task.CompletedTask;
        }

        var wait = TimeSpan.FromTicks(Random.Shared.NextInt64(1, ceiling + 1));
        return Task.Delay(wait, _runtime.Time, cancellationToken);
    }
}
