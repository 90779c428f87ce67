using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// AllToAll reads the local copy (no round trip) unless the touch is due or the copy is missing or expired; then,
    /// as PrimaryBackup always does on a non-owner, it asks the owner in one round trip, which touches in the same call.
    /// </remarks>
    public async ValueTask<SessionRecord?> LoadAsync(string sessionId, SessionLoadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        EnsureStorable(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureServing();
        NoteRoute(sessionId);
        if (_topology.ReadsLocally && _table.Find(sessionId)?.State is { } state)
        {
            var now = _clock.GetUtcNow();
            if (state.Session is { } session && !session.IsExpiredAt(now) && now - session.LastAccessedAt < options.TouchAfter)
            {
                _metrics.LocalLoad();
                return session.ToRecord(touched: false, isGraceAlias: false);
            }

            if (state.IsTombstone && (state.RotatedTo is null || now >= state.GraceUntil))
            {
                _metrics.LocalLoad();
                return null;
            }
        }

        return await RouteAsync(
            sessionId,
            "load",
            ct => LoadAsOwnerAsync(sessionId, options.TouchAfter, ct),
            PeerMessageType.Load,
            writer =>
            {
                writer.String(sessionId);
                writer.Duration(options.TouchAfter);
            },
            ReadLoadAnswer,
            cancellationToken).ConfigureAwait(false);
    }

    private SessionRecord? ReadLoadAnswer(PeerFrame answer)
    {
        var reader = new PeerReader(answer.Body.Span);
        if (!reader.Bool())
        {
            reader.End();
            return null;
        }

        var session = ReplicaWire.Session(ref reader, _maxValueBytes);
        var touched = reader.Bool();
        var alias = reader.Bool();
        reader.End();
        return session.ToRecord(touched, alias);
    }

    private async ValueTask<PeerReply> HandleLoadAsync(PeerFrame request, CancellationToken cancellationToken)
    {
        var reader = new PeerReader(request.Body.Span);
        var id = ReplicaWire.Id(ref reader);
        var touchAfter = reader.Duration();
        reader.End();
        if (RefuseUnlessOwner(id) is { } refusal)
        {
            return refusal;
        }

        var record = await LoadAsOwnerAsync(id, touchAfter, cancellationToken).ConfigureAwait(false);
        var writer = new PeerWriter();
        writer.Bool(record is not null);
        if (record is not null)
        {
            ReplicaWire.Session(writer, new StoredSession
            {
                Id = record.Id,
                CreatedAt = record.CreatedAt,
                LastAccessedAt = record.LastAccessedAt,
                IdleTimeout = record.IdleTimeout,
                AbsoluteExpiry = record.AbsoluteExpiry,
                Principal = record.Principal,
                Attributes = record.Attributes,
                LastVersion = record.Attributes.Count == 0 ? 0 : record.Attributes.Values.Max(a => a.Version),
            });
            writer.Bool(record.Touched);
            writer.Bool(record.IsGraceAlias);
        }

        return new PeerReply(PeerMessageType.LoadResult, writer.WrittenMemory);
    }

    /// <summary>The owner's load: expiry by its clock, the touch under the session's lock and copied like any write.</summary>
    private async ValueTask<SessionRecord?> LoadAsOwnerAsync(string sessionId, TimeSpan touchAfter, CancellationToken cancellationToken)
    {
        _metrics.LocalLoad();
        var entry = _table.Find(sessionId);
        if (entry?.State is not { } state)
        {
            await ConfirmAbsentAsync(sessionId, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var now = _clock.GetUtcNow();
        if (state.Session is not { } session)
        {
            if (state.RotatedTo is { } target && now < state.GraceUntil)
            {
                var renamed = await LoadAsync(target, new SessionLoadOptions(now, touchAfter), cancellationToken).ConfigureAwait(false);
                return renamed is null ? null : new SessionRecord
                {
                    Id = renamed.Id,
                    CreatedAt = renamed.CreatedAt,
                    LastAccessedAt = renamed.LastAccessedAt,
                    IdleTimeout = renamed.IdleTimeout,
                    AbsoluteExpiry = renamed.AbsoluteExpiry,
                    Principal = renamed.Principal,
                    Attributes = renamed.Attributes,
                    Touched = renamed.Touched,
                    IsGraceAlias = true,
                };
            }

            return null;
        }

        if (!session.IsExpiredAt(now) && now - session.LastAccessedAt < touchAfter)
        {
            return session.ToRecord(touched: false, isGraceAlias: false);
        }

        (entry, _) = await _table.LockAsync(sessionId, create: false, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }

        try
        {
            now = _clock.GetUtcNow();
            state = entry.State;
            if (state?.Session is not { } current)
            {
                return null;
            }

            if (current.IsExpiredAt(now))
            {
                await TombstoneAsync(entry, state, now, rotatedTo: null, graceUntil: default, failOnCopyError: false, cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (now - current.LastAccessedAt < touchAfter)
            {
                return current.ToRecord(touched: false, isGraceAlias: false);
            }

            var touched = current.WithTouch(now);
            await WriteAsync(entry, state, NextState(state, touched), failOnCopyError: false, cancellationToken).ConfigureAwait(false);
            return touched.ToRecord(touched: true, isGraceAlias: false);
        }
        finally
        {
            entry.Gate.Release();
        }
    }
}
