using Stickless.Replication.Placement;
using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Sent to the owner (one round trip from a non-owner), which checks compare-and-set, applies the change set under
    /// the session's lock and copies the result before answering (sync). A rename creates the session under the new id
    /// at that id's owner first, then leaves a tombstone (with the grace alias) under the old id.
    /// </remarks>
    /// <exception cref="ArgumentException">The change set is inconsistent (as for the in-memory store).</exception>
    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ChangeSetApplier.Validate(changes);
        EnsureStorable(changes.SessionId);
        EnsureStorable(changes.NewSessionId ?? string.Empty);
        cancellationToken.ThrowIfCancellationRequested();
        NoteRoute(changes.NewSessionId ?? changes.SessionId);
        return RouteAsync(
            changes.SessionId,
            "commit",
            ct => CommitAsOwnerAsync(changes, ct),
            PeerMessageType.Commit,
            writer => ReplicaWire.ChangeSet(writer, changes),
            ReadCommitAnswer,
            cancellationToken,
            ForwardedWriteTimeout);
    }

    /// <inheritdoc />
    /// <remarks>When <paramref name="sessionId"/> is a grace alias, the session it names is deleted.</remarks>
    public ValueTask<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        EnsureStorable(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        return RouteAsync(
            sessionId,
            "delete",
            ct => DeleteAsOwnerAsync(sessionId, ct),
            PeerMessageType.Delete,
            writer => writer.String(sessionId),
            answer =>
            {
                var reader = new PeerReader(answer.Body.Span);
                var deleted = reader.Bool();
                reader.End();
                return deleted;
            },
            cancellationToken,
            ForwardedWriteTimeout);
    }

    /// <summary>
    /// How long a forwarded commit or delete may take: twice the peer timeout, because the owner's own calls (the copy,
    /// a rename's install at another owner) take up to half of it each. A caller that gave up sooner would answer 503
    /// for a write the owner then applies (a sign-in whose new id the client never learns).
    /// </summary>
    private TimeSpan ForwardedWriteTimeout => _options.PeerTimeout * 2;

    /// <summary>How long the owner waits for one copy or a rename's install: half the peer timeout, so it answers its caller in time.</summary>
    private TimeSpan CopyTimeout => _options.PeerTimeout / 2;

    private CommitResult ReadCommitAnswer(PeerFrame answer)
    {
        var reader = new PeerReader(answer.Body.Span);
        var result = ReplicaWire.CommitResult(ref reader, _maxValueBytes);
        reader.End();
        return result;
    }

    private async ValueTask<PeerReply> HandleCommitAsync(PeerFrame request, CancellationToken cancellationToken)
    {
        var reader = new PeerReader(request.Body.Span);
        var changes = ReplicaWire.ChangeSet(ref reader, _maxValueBytes);
        reader.End();
        if (RefuseUnlessOwner(changes.SessionId) is { } refusal)
        {
            return refusal;
        }

        CommitResult result;
        try
        {
            result = await CommitAsOwnerAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            return Refuse(RefusalReason.Deposed);
        }

        var writer = new PeerWriter();
        ReplicaWire.CommitResult(writer, result);
        return new PeerReply(PeerMessageType.CommitResult, writer.WrittenMemory);
    }

    private async ValueTask<PeerReply> HandleDeleteAsync(PeerFrame request, CancellationToken cancellationToken)
    {
        var reader = new PeerReader(request.Body.Span);
        var id = ReplicaWire.Id(ref reader);
        reader.End();
        if (RefuseUnlessOwner(id) is { } refusal)
        {
            return refusal;
        }

        bool deleted;
        try
        {
            deleted = await DeleteAsOwnerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            return Refuse(RefusalReason.Deposed);
        }

        var writer = new PeerWriter(1);
        writer.Bool(deleted);
        return new PeerReply(PeerMessageType.DeleteResult, writer.WrittenMemory);
    }

    private async ValueTask<CommitResult> CommitAsOwnerAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        var (entry, _) = await _table.LockAsync(changes.SessionId, changes.IsNew, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            await ConfirmAbsentAsync(changes.SessionId, cancellationToken).ConfigureAwait(false);
            return CommitResult.NotFound;
        }

        string? aliasTarget = null;
        try
        {
            var now = _clock.GetUtcNow();
            var state = entry.State;
            if (state is { IsTombstone: true, RotatedTo: { } target } && now < state.GraceUntil && !changes.IsNew)
            {
                aliasTarget = target;
            }
            else
            {
                var live = state?.Session;
                if (live is not null && live.IsExpiredAt(now))
                {
                    await TombstoneAsync(entry, state!, now, null, default, failOnCopyError: false, cancellationToken).ConfigureAwait(false);
                    state = entry.State;
                    live = null;
                }

                if (changes.IsNew && state is not null)
                {
                    // The id was used before (even if it is dead now): ids are never reused.
                    return CommitResult.AlreadyExists;
                }

                var outcome = ChangeSetApplier.Apply(live, changes, now);
                if (outcome.Status != CommitStatus.Committed)
                {
                    if (entry.State is null)
                    {
                        _table.Publish(entry, null);
                    }

                    return outcome.Result;
                }

                if (changes.NewSessionId is { } newId)
                {
                    return await RenameAsync(entry, state!, outcome, newId, changes.RotationGrace, now, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    await WriteAsync(entry, state, NextState(state, outcome.Session!), failOnCopyError: true, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (entry.State is null)
                    {
                        _table.Publish(entry, null);
                    }
                }

                if (changes.IsNew)
                {
                    Raise(SessionEventKind.Created, changes.SessionId, null, outcome.Session!.Principal, now);
                }

                return outcome.Result;
            }
        }
        finally
        {
            entry.Gate.Release();
        }

        // Through a grace alias: the change set applies to the renamed session, wherever it lives.
        var retargeted = new SessionChangeSet
        {
            SessionId = aliasTarget,
            Now = changes.Now,
            Touch = changes.Touch,
            ClearAttributes = changes.ClearAttributes,
            Attributes = changes.Attributes,
            SetsPrincipal = changes.SetsPrincipal,
            Principal = changes.Principal,
            NewSessionId = changes.NewSessionId == aliasTarget ? null : changes.NewSessionId,
            RotationGrace = changes.RotationGrace,
        };
        return await CommitAsync(retargeted, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<CommitResult> RenameAsync(ReplicaEntry entry, ReplicaState state, ChangeSetOutcome outcome, string newId, TimeSpan grace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var renamed = new ReplicaState { Version = new ReplicaVersion(1, _self.NodeId, 1), Session = outcome.Session };
        var installed = await InstallAsync(newId, renamed, cancellationToken).ConfigureAwait(false);
        if (installed.Status != CommitStatus.Committed)
        {
            return installed;
        }

        // The rename is done once the new id exists: a copy of the old id's tombstone that fails must not turn it into a
        // 503, or the client, never told the new id, would keep an id that is dead here. The sweep sends the tombstone
        // again to the copy that missed it.
        await TombstoneAsync(entry, state, now, newId, grace > TimeSpan.Zero ? now + grace : default, failOnCopyError: false, cancellationToken).ConfigureAwait(false);
        Raise(SessionEventKind.IdRenewed, entry.Id, newId, outcome.Session!.Principal, now);
        return outcome.Result;
    }

    /// <summary>Creates a renamed session at the owner of its new id (here or there).</summary>
    private async ValueTask<CommitResult> InstallAsync(string newId, ReplicaState state, CancellationToken cancellationToken)
    {
        if (RendezvousPlacement.Owner(newId, _membership.View.Ready) == _self.NodeId)
        {
            return await InstallAsOwnerAsync(newId, state, cancellationToken).ConfigureAwait(false);
        }

        return await RouteAsync(
            newId,
            "install",
            ct => InstallAsOwnerAsync(newId, state, ct),
            PeerMessageType.Install,
            writer => ReplicaCopy.Full(newId, state).Write(writer),
            ReadCommitAnswer,
            cancellationToken,
            CopyTimeout).ConfigureAwait(false);
    }

    private async ValueTask<CommitResult> InstallAsOwnerAsync(string newId, ReplicaState state, CancellationToken cancellationToken)
    {
        var (entry, _) = await _table.LockAsync(newId, create: true, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        try
        {
            if (entry!.State is not null)
            {
                return CommitResult.AlreadyExists;
            }

            var fresh = new ReplicaState { Version = new ReplicaVersion(1, _self.NodeId, 1), Session = state.Session };
            try
            {
                await WriteAsync(entry, null, fresh, failOnCopyError: true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (entry.State is null)
                {
                    _table.Publish(entry, null);
                }
            }

            return CommitResult.Committed(new Dictionary<string, long>(0));
        }
        finally
        {
            entry!.Gate.Release();
        }
    }

    private async ValueTask<PeerReply> HandleInstallAsync(PeerFrame request, CancellationToken cancellationToken)
    {
        var reader = new PeerReader(request.Body.Span);
        var copy = ReplicaCopy.Read(ref reader, _maxValueBytes);
        reader.End();
        if (copy.IsDelta || copy.State.Session is null)
        {
            throw new PeerProtocolException("An install must carry a whole live session.");
        }

        if (RefuseUnlessOwner(copy.Id) is { } refusal)
        {
            return refusal;
        }

        CommitResult result;
        try
        {
            result = await InstallAsOwnerAsync(copy.Id, copy.State, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            return Refuse(RefusalReason.Deposed);
        }

        var writer = new PeerWriter();
        ReplicaWire.CommitResult(writer, result);
        return new PeerReply(PeerMessageType.CommitResult, writer.WrittenMemory);
    }

    private async ValueTask<bool> DeleteAsOwnerAsync(string sessionId, CancellationToken cancellationToken)
    {
        var (entry, _) = await _table.LockAsync(sessionId, create: false, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return false;
        }

        string? aliasTarget = null;
        try
        {
            var now = _clock.GetUtcNow();
            var state = entry.State;
            if (state is null)
            {
                return false;
            }

            if (state.Session is not { } session)
            {
                if (state.RotatedTo is { } target && now < state.GraceUntil)
                {
                    aliasTarget = target;
                }
                else
                {
                    return false;
                }
            }
            else
            {
                var expired = session.IsExpiredAt(now);
                await TombstoneAsync(entry, state, now, null, default, failOnCopyError: !expired, cancellationToken).ConfigureAwait(false);
                return !expired;
            }
        }
        finally
        {
            entry.Gate.Release();
        }

        return await DeleteAsync(aliasTarget, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces a live state (or an expired one) by a tombstone and copies it. Call holding the entry's gate.</summary>
    private async ValueTask TombstoneAsync(ReplicaEntry entry, ReplicaState state, DateTimeOffset now, string? rotatedTo, DateTimeOffset graceUntil, bool failOnCopyError, CancellationToken cancellationToken)
    {
        var expired = state.Session is { } session && session.IsExpiredAt(now);
        var tombstone = state.ToTombstone(NextVersion(state), now, now + 2 * _options.DeadAfter + TimeSpan.FromMinutes(1), rotatedTo, graceUntil);
        await WriteAsync(entry, state, tombstone, failOnCopyError, cancellationToken).ConfigureAwait(false);
        if (rotatedTo is null)
        {
            Raise(expired ? SessionEventKind.Expired : SessionEventKind.Deleted, entry.Id, null, state.Session?.Principal, now);
        }
    }

    /// <summary>The version of the owner's next write after <paramref name="state"/>: the next of its epoch, or a new epoch begun by this node.</summary>
    private ReplicaVersion NextVersion(ReplicaState? state)
    {
        if (state is null)
        {
            return new ReplicaVersion(1, _self.NodeId, 1);
        }

        return state.Version.EpochOwner == _self.NodeId ? state.Version.Next() : new ReplicaVersion(state.Version.Epoch + 1, _self.NodeId, 1);
    }

    private ReplicaState NextState(ReplicaState? state, StoredSession session)
    {
        var version = NextVersion(state);
        return new ReplicaState
        {
            Version = version,
            Session = session,
            ForkedFrom = state is null ? null : version.SameEpoch(state.Version) ? state.ForkedFrom : state.Version,
        };
    }

    private void Raise(SessionEventKind kind, string sessionId, string? newSessionId, string? principal, DateTimeOffset now)
    {
        if (_events.HasObservers)
        {
            _ = _events.PublishAsync(new SessionLifecycleEvent(kind, sessionId, newSessionId, principal, now), CancellationToken.None).AsTask();
        }
    }
}
