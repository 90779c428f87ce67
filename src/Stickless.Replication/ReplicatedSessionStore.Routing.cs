using System.Diagnostics;
using Stickless.Replication.Placement;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <summary>Why a node refused a forwarded request (the body of <see cref="PeerMessageType.Refused"/>).</summary>
    private enum RefusalReason : byte
    {
        NotReady = 1,
        NotOwner = 2,
        Busy = 3,
        Deposed = 4,
    }

    /// <summary>
    /// Runs <paramref name="local"/> when this node owns <paramref name="sessionId"/>, else sends the request to the
    /// owner; a "not the owner" answer (views disagreeing for a moment) is retried after a short wait, twice.
    /// </summary>
    private async ValueTask<T> RouteAsync<T>(
        string sessionId,
        string operation,
        Func<CancellationToken, ValueTask<T>> local,
        PeerMessageType type,
        Action<PeerWriter> writeRequest,
        Func<PeerFrame, T> readAnswer,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        EnsureServing();
        PeerWriter? body = null;
        for (var attempt = 0; ; attempt++)
        {
            var owner = RendezvousPlacement.Owner(sessionId, _membership.View.Ready)
                ?? throw new SessionStoreUnavailableException("No replication node is Ready.");
            if (owner == _self.NodeId)
            {
                return await local(cancellationToken).ConfigureAwait(false);
            }

            if (body is null)
            {
                body = new PeerWriter();
                writeRequest(body);
            }

            var started = Stopwatch.GetTimestamp();
            PeerFrame answer;
            try
            {
                answer = await _client.SendAsync(owner, type, body.WrittenMemory, cancellationToken, timeout).ConfigureAwait(false);
            }
            catch (PeerUnreachableException ex)
            {
                _membership.ReportUnreachable(owner, ex.Refused);
                throw new SessionStoreUnavailableException($"The owner {owner} did not answer: {ex.Message}", ex);
            }
            catch (PeerProtocolException ex)
            {
                throw new SessionStoreUnavailableException($"The owner {owner} answered a malformed frame: {ex.Message}", ex);
            }

            _metrics.Forwarded(operation, Stopwatch.GetElapsedTime(started));
            if (answer.Type != PeerMessageType.Refused)
            {
                try
                {
                    return readAnswer(answer);
                }
                catch (PeerProtocolException ex)
                {
                    throw new SessionStoreUnavailableException($"The owner {owner} answered a malformed body: {ex.Message}", ex);
                }
            }

            var reason = answer.Body.Length > 0 ? (RefusalReason)answer.Body.Span[0] : RefusalReason.NotReady;
            if (attempt >= 2)
            {
                throw new SessionStoreUnavailableException($"The owner {owner} refused the {operation} ({reason}), and views did not settle.");
            }

            // Views disagree for a moment after a join, a death or a heal: let the heartbeats settle them.
            await Task.Delay(_options.HeartbeatInterval / 2 * (attempt + 1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static PeerReply Refuse(RefusalReason reason) => new(PeerMessageType.Refused, new[] { (byte)reason });

    /// <summary>Null when this node may act as the owner of <paramref name="sessionId"/>; else the refusal to answer.</summary>
    private PeerReply? RefuseUnlessOwner(string sessionId)
    {
        if (!IsServing(out _))
        {
            return Refuse(RefusalReason.NotReady);
        }

        return IsOwner(sessionId, _membership.View) ? null : Refuse(RefusalReason.NotOwner);
    }



    /// <summary>Notes the request's session id for the owner-affine routing cookie (a no-op unless the app asked for it).</summary>
    private static void NoteRoute(string sessionId)
    {
        if (Hosting.RouteHint.Current is { } hint)
        {
            hint.SessionId = sessionId;
        }
    }

    /// <summary>Refuses an id this store could never have stored (longer than a peer message may carry) with a clear error.</summary>
    private static void EnsureStorable(string sessionId)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(sessionId) > Replicas.ReplicaWire.MaxIdBytes)
        {
            throw new ArgumentException($"A session id longer than {Replicas.ReplicaWire.MaxIdBytes} bytes was never issued by this store.", nameof(sessionId));
        }
    }

    /// <summary>
    /// Before an owner answers "no such session" for an id it holds no state of: when its view lacks some configured
    /// peers (declared dead, joining, never heard), asks each of them, briefly, whether it holds a live copy. A peer that
    /// does is alive after all (this node's view is wrong: overload, a one-way cut), so the call fails with 503 instead
    /// of ending a session that exists. A killed peer refuses at once, so a real death costs nothing.
    /// </summary>
    private async ValueTask ConfirmAbsentAsync(string sessionId, CancellationToken cancellationToken)
    {
        var view = _membership.View;
        var others = _options.Peers.Select(p => p.NodeId).Where(n => n != _self.NodeId && !view.IsReady(n)).ToList();
        if (others.Count == 0)
        {
            return;
        }

        var writer = new PeerWriter();
        writer.String(sessionId);
        var answers = await Task.WhenAll(others.Select(async peer =>
        {
            try
            {
                var answer = await _client.SendAsync(peer, PeerMessageType.Holds, writer.WrittenMemory, cancellationToken, _options.PeerTimeout / 4).ConfigureAwait(false);
                var reader = new PeerReader(answer.Body.Span);
                return answer.Type == PeerMessageType.HoldsResult && reader.Bool();
            }
            catch (Exception ex) when (ex is PeerUnreachableException or PeerProtocolException)
            {
                return false;
            }
        })).ConfigureAwait(false);
        if (answers.Any(static held => held))
        {
            throw new SessionStoreUnavailableException("A node this one considers down still holds the session: the views disagree; try again.");
        }
    }

    private ValueTask<PeerReply> HandleHolds(PeerFrame request)
    {
        var reader = new PeerReader(request.Body.Span);
        var id = Replicas.ReplicaWire.Id(ref reader);
        reader.End();
        var held = _table.Find(id)?.State?.Session is { } session && !session.IsExpiredAt(_clock.GetUtcNow());
        return ValueTask.FromResult(new PeerReply(PeerMessageType.HoldsResult, new[] { held ? (byte)1 : (byte)0 }));
    }
}
