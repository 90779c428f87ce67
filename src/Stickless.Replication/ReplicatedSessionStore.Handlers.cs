using System.Text.Json;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <inheritdoc />
    ValueTask<PeerReply> IPeerMessageHandler.HandleAsync(PeerFrame request, CancellationToken cancellationToken) => request.Type switch
    {
        PeerMessageType.Ping => ValueTask.FromResult(_membership.HandlePing(request)),
        PeerMessageType.ProbeRequest => _membership.HandleProbeAsync(request, cancellationToken),
        PeerMessageType.Load => HandleLoadAsync(request, cancellationToken),
        PeerMessageType.Commit => HandleCommitAsync(request, cancellationToken),
        PeerMessageType.Delete => HandleDeleteAsync(request, cancellationToken),
        PeerMessageType.Replicate or PeerMessageType.Rebalance => HandleReplicateAsync(request, cancellationToken),
        PeerMessageType.Install => HandleInstallAsync(request, cancellationToken),
        PeerMessageType.FindByPrincipal => HandleFindAsync(request),
        PeerMessageType.TransferRequest => HandleTransferAsync(request),
        PeerMessageType.Stats => HandleStats(request),
        PeerMessageType.Holds => HandleHolds(request),
        _ => throw new PeerProtocolException($"{request.Type} is not a request."),
    };

    private ValueTask<PeerReply> HandleStats(PeerFrame request)
    {
        new PeerReader(request.Body.Span).End();
        var json = JsonSerializer.SerializeToUtf8Bytes(GetStatistics(), ReplicationJson.Default.ReplicationStatistics);
        return ValueTask.FromResult(new PeerReply(PeerMessageType.StatsResult, json));
    }
}
