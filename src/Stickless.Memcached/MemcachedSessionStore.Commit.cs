using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

public sealed partial class MemcachedSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// A create is an add (<c>ms … ME</c>): it fails with <see cref="CommitStatus.AlreadyExists"/> over anything, a
    /// tombstone included, so a deleted id is never reused. Any other commit reads the item, applies the change set with
    /// <see cref="ChangeSetApplier"/> and writes it back with compare-and-set (<c>ms … C&lt;cas&gt;</c>), which never
    /// creates: a session deleted, expired or evicted meanwhile answers <see cref="CommitStatus.NotFound"/>. When another
    /// writer got there first, the change set is applied again to what it wrote (so different attributes both survive,
    /// and a compare-and-set of one attribute is judged against the newest version).
    /// </para>
    /// <para>
    /// A rename (<see cref="SessionChangeSet.NewSessionId"/>) is two writes on two nodes: the new id is added first, then
    /// the old item is replaced, with compare-and-set, by an alias (grace) or a tombstone. If the old item changed in
    /// between, the new item is deleted and the whole commit runs again. So the old id never dies before the new one
    /// holds the data, and the data under the new id is exactly what the old id held when it died.
    /// </para>
    /// </remarks>
    public ValueTask<CommitResult> CommitAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ChangeSetApplier.Validate(changes);
        cancellationToken.ThrowIfCancellationRequested();
        if (changes.NewSessionId is { } newId && !SessionIds.IsWellFormed(newId))
        {
            throw new ArgumentException("The new session id is not an id this library issues.", nameof(changes));
        }

        if (!SessionIds.IsWellFormed(changes.SessionId))
        {
            return changes.IsNew
                ? throw new ArgumentException("A session is created only under an id this library issues.", nameof(changes))
                : ValueTask.FromResult(CommitResult.NotFound);
        }

        return GuardAsync(() => changes.IsNew ? CreateAsync(changes, cancellationToken) : UpdateAsync(changes, cancellationToken));
    }

    private async ValueTask<CommitResult> CreateAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        var now = Now();
        var outcome = ChangeSetApplier.Apply(null, changes, now);
        if (outcome.Session is not { } session)
        {
            return outcome.Result;
        }

        var location = Locate(session.Id);
        var acting = location.Acting ?? throw new SessionStoreUnavailableException($"Both memcached nodes of this session are down ({location.Primary.Endpoint}, {location.Backup?.Endpoint}).");
        var value = SessionItemFormat.EncodeSession(session, 1);
        var ttl = TtlFor(session.ExpiresAt, now);
        await MarkIfActingAsync(location, acting, cancellationToken).ConfigureAwait(false);
        var added = await acting.Node.SetAsync(acting.Key, value, new MetaSetOptions(MetaSetMode.Add, ttl, SessionItem.FlagsFor(1)), cancellationToken).ConfigureAwait(false);
        if (added.Status != MetaStatus.Header)
        {
            return CommitResult.AlreadyExists;
        }

        if (acting.IsPrimary)
        {
            await WriteBackupAsync(location, value, 1, ttl).ConfigureAwait(false);
        }

        if (session.Principal is { } principal)
        {
            await IndexAddAsync(principal, session.Id, session.AbsoluteExpiry, now).ConfigureAwait(false);
        }

        await PublishAsync(SessionEventKind.Created, session.Id, null, session.Principal, now).ConfigureAwait(false);
        return outcome.Result;
    }

    private async ValueTask<CommitResult> UpdateAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        // Commits of one session on this app node go one at a time: compare-and-set then only races other app nodes,
        // instead of every concurrent request of the session re-reading and retrying against all the others.
        var stripe = _commitStripes[(uint)StringComparer.Ordinal.GetHashCode(changes.SessionId) % (uint)_commitStripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await UpdateOneAtATimeAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async ValueTask<CommitResult> UpdateOneAtATimeAsync(SessionChangeSet changes, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < _options.MaxCommitAttempts; attempt++)
        {
            if (attempt >= 2)
            {
                // Many writers on one session: spread the retries out a little.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2 * attempt)), _time, cancellationToken).ConfigureAwait(false);
            }

            var now = Now();
            var id = changes.SessionId;
            var location = Locate(id);
            var read = await ReadAsync(location, id, now, cancellationToken).ConfigureAwait(false);
            if (read?.Item.Kind == SessionItemKind.Alias)
            {
                // A request in flight with the old id: its changes go to the renamed session.
                if (read.Item.Until <= now || SuccessorOf(read.Item) is not { } successor)
                {
                    return CommitResult.NotFound;
                }

                id = successor;
                location = Locate(id);
                read = await ReadAsync(location, id, now, cancellationToken).ConfigureAwait(false);
            }

            if (read?.Item.Session is not { } current)
            {
                return CommitResult.NotFound;
            }

            var outcome = ChangeSetApplier.Apply(current, changes, now);
            if (outcome.Session is not { } next)
            {
                return outcome.Result;
            }

            var committed = changes.NewSessionId is null
                ? await WriteInPlaceAsync(location, read, next, now, cancellationToken).ConfigureAwait(false)
                : await RenameAsync(location, read, next, changes.RotationGrace, now, cancellationToken).ConfigureAwait(false);
            if (committed is { } status)
            {
                return status == CommitStatus.Committed ? outcome.Result : CommitResult.AlreadyExists;
            }

            // Another writer changed the item since it was read: apply the change set again to what it wrote.
        }

        _logger.CommitContention(_options.MaxCommitAttempts);
        throw new SessionStoreUnavailableException($"A commit gave up after {_options.MaxCommitAttempts} compare-and-set attempts against concurrent writers.");
    }

    /// <returns>Committed, or null when the compare-and-set failed and the commit must run again.</returns>
    private async ValueTask<CommitStatus?> WriteInPlaceAsync(SessionLocation location, SessionRead read, StoredSession next, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sequence = read.Item.Sequence + 1;
        var value = SessionItemFormat.EncodeSession(next, sequence);
        var ttl = TtlFor(next.ExpiresAt, now);
        await MarkIfActingAsync(location, read.Where, cancellationToken).ConfigureAwait(false);
        var written = await read.Where.Node.SetAsync(read.Where.Key, value, new MetaSetOptions(MetaSetMode.Set, ttl, SessionItem.FlagsFor(sequence), read.Cas), cancellationToken).ConfigureAwait(false);
        if (written.Status != MetaStatus.Header)
        {
            return null;
        }

        if (read.Where.IsPrimary)
        {
            await WriteBackupAsync(location, value, sequence, ttl).ConfigureAwait(false);
        }

        var before = read.Item.Session!.Principal;
        if (!string.Equals(before, next.Principal, StringComparison.Ordinal))
        {
            if (before is not null)
            {
                await IndexRemoveAsync(before, next.Id).ConfigureAwait(false);
            }

            if (next.Principal is { } principal)
            {
                await IndexAddAsync(principal, next.Id, next.AbsoluteExpiry, now).ConfigureAwait(false);
            }
        }

        return CommitStatus.Committed;
    }

    /// <returns>Committed; AlreadyExists when the new id is taken; null when the old item changed and the commit must run again.</returns>
    private async ValueTask<CommitStatus?> RenameAsync(SessionLocation oldLocation, SessionRead read, StoredSession next, TimeSpan grace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newLocation = Locate(next.Id);
        var acting = newLocation.Acting ?? throw new SessionStoreUnavailableException($"Both memcached nodes of the new id are down ({newLocation.Primary.Endpoint}, {newLocation.Backup?.Endpoint}).");
        var value = SessionItemFormat.EncodeSession(next, 1);
        var ttl = TtlFor(next.ExpiresAt, now);
        await MarkIfActingAsync(newLocation, acting, cancellationToken).ConfigureAwait(false);
        await MarkIfActingAsync(oldLocation, read.Where, cancellationToken).ConfigureAwait(false);
        var added = await acting.Node.SetAsync(acting.Key, value, new MetaSetOptions(MetaSetMode.Add, ttl, SessionItem.FlagsFor(1), ReturnCas: true), cancellationToken).ConfigureAwait(false);
        if (added.Status != MetaStatus.Header)
        {
            return CommitStatus.AlreadyExists;
        }

        var oldId = read.Item.Session!.Id;
        var sequence = read.Item.Sequence + 1;
        var final = grace > TimeSpan.Zero
            ? SessionItemFormat.EncodeAlias(now + grace, _keys.Seal(System.Text.Encoding.ASCII.GetBytes(next.Id)), sequence)
            : SessionItemFormat.EncodeTombstone(now, sequence);
        var finalTtl = grace > TimeSpan.Zero ? TtlFor(now + grace, now) : TombstoneTtl(read.Item.Session, now);
        var retired = await read.Where.Node.SetAsync(read.Where.Key, final, new MetaSetOptions(MetaSetMode.Set, finalTtl, SessionItem.FinalFlags, read.Cas), cancellationToken).ConfigureAwait(false);
        if (retired.Status != MetaStatus.Header)
        {
            // The old session changed (or died) after it was read: the new item is not the session any more.
            await acting.Node.DeleteAsync(acting.Key, added.Cas, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        await WriteFinalToOtherCopyAsync(oldLocation, read.Where, final, finalTtl).ConfigureAwait(false);
        if (acting.IsPrimary)
        {
            await WriteBackupAsync(newLocation, value, 1, ttl).ConfigureAwait(false);
        }

        if (read.Item.Session.Principal is { } oldPrincipal)
        {
            await IndexRemoveAsync(oldPrincipal, oldId).ConfigureAwait(false);
        }

        if (next.Principal is { } principal)
        {
            await IndexAddAsync(principal, next.Id, next.AbsoluteExpiry, now).ConfigureAwait(false);
        }

        await PublishAsync(SessionEventKind.IdRenewed, oldId, next.Id, next.Principal, now).ConfigureAwait(false);
        return CommitStatus.Committed;
    }

    /// <summary>A tombstone outlives every copy of the session it ends (a backup written moments later included).</summary>
    private static int TombstoneTtl(StoredSession? session, DateTimeOffset now) =>
        session is null ? 60 : Math.Max(TtlFor(session.ExpiresAt, now) + 5, 10);

    private async ValueTask PublishAsync(SessionEventKind kind, string sessionId, string? newSessionId, string? principal, DateTimeOffset now)
    {
        if (_events.HasObservers)
        {
            await _events.PublishAsync(new SessionLifecycleEvent(kind, sessionId, newSessionId, principal, now), CancellationToken.None).ConfigureAwait(false);
        }
    }
}
