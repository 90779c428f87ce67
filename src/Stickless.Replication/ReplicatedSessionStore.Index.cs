using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <inheritdoc />
    /// <remarks>
    /// AllToAll answers from the local index (every node holds every session). PrimaryBackup asks every Ready node for
    /// the sessions of <paramref name="principal"/> it holds and merges the answers; a node that does not answer makes
    /// the call fail rather than return a partial list.
    /// </remarks>
    public async ValueTask<IReadOnlyList<SessionSummary>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureServing();
        var found = new Dictionary<string, SessionSummary>(StringComparer.Ordinal);
        foreach (var summary in LocalSummaries(principal))
        {
            found[summary.Id] = summary;
        }

        if (!_topology.ReadsLocally)
        {
            var writer = new PeerWriter();
            writer.String(principal);
            var peers = _membership.View.Ready.Where(n => n != _self.NodeId).ToList();
            var answers = await Task.WhenAll(peers.Select(async peer =>
            {
                try
                {
                    return await _client.SendAsync(peer, PeerMessageType.FindByPrincipal, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                }
                catch (PeerUnreachableException ex)
                {
                    _membership.ReportUnreachable(peer, ex.Refused);
                    throw new SessionStoreUnavailableException($"Node {peer} did not answer the session list: {ex.Message}", ex);
                }
            })).ConfigureAwait(false);
            foreach (var answer in answers)
            {
                try
                {
                    var reader = new PeerReader(answer.Body.Span);
                    var count = reader.Count(ReplicaWire.MaxCount, "session count");
                    for (var i = 0; i < count; i++)
                    {
                        var summary = new SessionSummary(ReplicaWire.Id(ref reader), reader.Instant(), reader.Instant(), reader.Instant());
                        if (!found.TryGetValue(summary.Id, out var known) || summary.LastAccessedAt > known.LastAccessedAt)
                        {
                            found[summary.Id] = summary;
                        }
                    }

                    reader.End();
                }
                catch (PeerProtocolException ex)
                {
                    throw new SessionStoreUnavailableException($"A node answered a malformed session list: {ex.Message}", ex);
                }
            }
        }

        return [.. found.Values.OrderBy(s => s.CreatedAt)];
    }

    private List<SessionSummary> LocalSummaries(string principal)
    {
        var now = _clock.GetUtcNow();
        var summaries = new List<SessionSummary>();
        foreach (var id in _table.IdsOf(principal))
        {
            if (_table.Find(id)?.State?.Session is { } session && !session.IsExpiredAt(now) && session.Principal == principal)
            {
                summaries.Add(new SessionSummary(id, session.CreatedAt, session.LastAccessedAt, session.ExpiresAt));
            }
        }

        return summaries;
    }

    private ValueTask<PeerReply> HandleFindAsync(PeerFrame request)
    {
        var reader = new PeerReader(request.Body.Span);
        var principal = reader.String(ReplicaWire.MaxNameBytes, "principal");
        reader.End();
        var summaries = LocalSummaries(principal);
        var writer = new PeerWriter();
        writer.Int32(summaries.Count);
        foreach (var summary in summaries)
        {
            writer.String(summary.Id);
            writer.Instant(summary.CreatedAt);
            writer.Instant(summary.LastAccessedAt);
            writer.Instant(summary.ExpiresAt);
        }

        return ValueTask.FromResult(new PeerReply(PeerMessageType.PrincipalResult, writer.WrittenMemory));
    }
}
