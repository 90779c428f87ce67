namespace Stickless.AspNetCore;

internal sealed partial class SticklessSession
{
    // Creating under an id that is taken needs 2^128 sessions to be likely; the bound only stops a broken store from looping.
    private const int MaxCreateAttempts = 3;

    /// <summary>
    /// The one automatic commit, run just before the response starts (or when the request ends without a
    /// response body): commits the pending delta, then sends or clears the id. Later changes throw.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The store failed or timed out; nothing was sent to the client.</exception>
    public async ValueTask CommitFinalAsync(CancellationToken cancellationToken)
    {
        if (_finalCommitDone)
        {
            return;
        }

        _finalCommitDone = true;
        if (!_available)
        {
            return;
        }

        if (HasPendingChanges)
        {
            await CommitPendingAsync(cancellationToken).ConfigureAwait(false);
        }

        WriteIdToResponse();
    }

    /// <summary>Marks the session as finished without committing (the request failed).</summary>
    public void Abandon()
    {
        if (!_finalCommitDone && HasPendingChanges && _available)
        {
            SticklessLog.ChangesDiscarded(_runtime.Logger, Handle);
        }

        _finalCommitDone = true;
    }

    /// <summary>Commits the pending delta now (<c>ISession.CommitAsync</c>, and the final commit).</summary>
    public async ValueTask CommitPendingAsync(CancellationToken cancellationToken)
    {
        if (!_available || !HasPendingChanges)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var changes = BuildChangeSet(attributes: _changes, newSessionId: null, rotationGrace: TimeSpan.Zero, setsPrincipal: false, principal: null);
            var result = (await CommitAsync(changes, cancellationToken).ConfigureAwait(false)).Result;
            switch (result.Status)
            {
                case CommitStatus.Committed:
                    Applied(changes, result);
                    return;
                case CommitStatus.AlreadyExists when attempt < MaxCreateAttempts:
                    SticklessLog.IdCollision(_runtime.Logger, _runtime.Store.StoreName);
                    ReplaceUnstoredId();
                    continue;
                case CommitStatus.NotFound:
                    // Deleted or expired meanwhile (a logout on another node): never resurrect it.
                    SticklessLog.SessionGoneOnCommit(_runtime.Logger, Handle);
                    ResetToFresh(clearClientId: true);
                    return;
                default:
                    SticklessLog.UnexpectedCommitStatus(_runtime.Logger, _runtime.Store.StoreName, result.Status, Handle);
                    _changes = null;
                    _clearAttributes = false;
                    return;
            }
        }
    }

    /// <summary>Commits through this node's lane of the session (<see cref="SessionCommitPipeline"/>), possibly together with other requests'.</summary>
    private async ValueTask<LaneCommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        var outcome = await _runtime.Pipeline.CommitAsync(Lane(), changes, cancellationToken).ConfigureAwait(false);
        _runtime.Metrics.Committed(_runtime.Store.StoreName, outcome.Result.Status);
        return outcome;
    }

    /// <summary>The lane of the session as it is stored now (none before it is stored); follows a rotation to the new id.</summary>
    private SessionLane? Lane()
    {
        if (_lane is not null && string.Equals(_lane.SessionId, _id, StringComparison.Ordinal))
        {
            return _lane;
        }

        _runtime.Pipeline.Release(_lane);
        _lane = _exists && _id is not null ? _runtime.Pipeline.Acquire(_id) : null;
        return _lane;
    }

    /// <summary>The change set of the pending delta plus the given extras, for a new or an existing session.</summary>
    private SessionChangeSet BuildChangeSet(
        IReadOnlyDictionary<string, AttributeChange>? attributes,
        string? newSessionId,
        TimeSpan rotationGrace,
        bool setsPrincipal,
        string? principal)
    {
        var now = _runtime.Time.GetUtcNow();
        IReadOnlyDictionary<string, AttributeChange> changes = attributes ?? new Dictionary<string, AttributeChange>(0);
        if (!_exists)
        {
            // A new session: created with its first write, under an id nobody presented.
            var policy = _runtime.Policy;
            var boundPrincipal = setsPrincipal ? principal : _principal;
            return new SessionChangeSet
            {
                SessionId = newSessionId ?? EnsureId(),
                IsNew = true,
                Now = now,
                IdleTimeout = policy.IdleTimeout,
                AbsoluteExpiry = now + policy.AbsoluteTimeout,
                Attributes = changes,
                SetsPrincipal = boundPrincipal is not null,
                Principal = boundPrincipal,
            };
        }

        return new SessionChangeSet
        {
            SessionId = _id!,
            Now = now,
            Touch = !_touched,
            ClearAttributes = _clearAttributes,
            Attributes = changes,
            SetsPrincipal = setsPrincipal,
            Principal = principal,
            NewSessionId = newSessionId,
            RotationGrace = rotationGrace,
        };
    }

    /// <summary>Folds a committed change set into the stored snapshot and clears the pending delta.</summary>
    private void Applied(SessionChangeSet changes, CommitResult result)
    {
        var stored = _storedCopy ??= new Dictionary<string, SessionAttribute>(_stored, StringComparer.Ordinal);
        _stored = stored;
        if (changes.ClearAttributes)
        {
            stored.Clear();
        }

        foreach (var (name, change) in changes.Attributes)
        {
            if (change.IsOperation)
            {
                // What the store holds after the operation, which this request could not know in advance.
                if (result.OperationResults.TryGetValue(name, out var after) && after is { } attribute)
                {
                    stored[name] = attribute;
                }
                else
                {
                    stored.Remove(name);
                }
            }
            else if (change.IsRemoval)
            {
                stored.Remove(name);
            }
            else
            {
                stored[name] = new SessionAttribute(change.Value, result.NewVersions.TryGetValue(name, out var version) ? version : 0);
            }
        }

        _changes = null;
        _clearAttributes = false;
        _touched = true;
        _lastAccessedAt = changes.Now;
        if (changes.IsNew)
        {
            _exists = true;
            _id = changes.SessionId;
            _handle = null;
            _sendId = true;
            _createdAt = changes.Now;
            _absoluteExpiry = changes.AbsoluteExpiry;
            SticklessLog.SessionCreated(_runtime.Logger, Handle, _runtime.Store.StoreName);
        }

        if (changes.NewSessionId is not null)
        {
            _id = changes.NewSessionId;
            _handle = null;
            _aliasId = null;
            _sendId = true;
        }

        if (changes.SetsPrincipal)
        {
            _principal = changes.Principal;
        }
    }

    /// <summary>Forgets the session: the object becomes a new, empty, anonymous session with no id yet.</summary>
    private void ResetToFresh(bool clearClientId)
    {
        _id = null;
        _handle = null;
        _aliasId = null;
        _exists = false;
        _touched = false;
        _principal = null;
        _stored = NoAttributes;
        _storedCopy = null;
        _changes = null;
        _clearAttributes = false;
        _sendId = false;
        _clearClientId |= clearClientId;
        _createdAt = _lastAccessedAt = _runtime.Time.GetUtcNow();
        _absoluteExpiry = _createdAt + _runtime.Policy.AbsoluteTimeout;
    }

    private void ReplaceUnstoredId()
    {
        _id = SessionIds.Create();
        _handle = null;
    }

    /// <summary>
    /// Sends a new or rotated id, or clears the client's id; only ever before the response starts. Such a response is
    /// never cacheable: a shared cache must not hand one user's id to another (OWASP; ASP.NET Core's session does the same).
    /// </summary>
    private void WriteIdToResponse()
    {
        if (_sendId && _exists && _id is not null)
        {
            foreach (var resolver in TargetResolvers())
            {
                resolver.WriteId(_context, _id, _absoluteExpiry);
            }

            MakeUncacheable();
        }
        else if (_clearClientId && _carrier is not null)
        {
            // Only a client that presented an id has one to forget.
            _carrier.ClearId(_context);
            MakeUncacheable();
        }

        _sendId = false;
        _clearClientId = false;
    }

    private void MakeUncacheable()
    {
        var headers = _context.Response.Headers;
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    // The carrier the request used; every carrier when it presented none (an API client's first request).
    private ISessionIdResolver[] TargetResolvers() => _carrier is not null ? [_carrier] : _runtime.Resolvers;

    private void EnsureCanSendId()
    {
        if (_finalCommitDone)
        {
            throw new InvalidOperationException("The response has started: a new session id could no longer reach the client. Sign in, renew or create the session before writing the response.");
        }
    }

    private void EnsureAvailable()
    {
        ThrowIfLoadFailed();
        if (!_available)
        {
            throw new SessionStoreUnavailableException("The session store was unavailable when this request's session was loaded; the session is not stored.");
        }
    }
}
