namespace Stickless.Replication.Transport;

/// <summary>Answers authenticated peer requests (the store and its membership).</summary>
internal interface IPeerMessageHandler
{
    /// <summary>Answers <paramref name="request"/>; throws <see cref="PeerProtocolException"/> for a body it cannot read.</summary>
    ValueTask<PeerReply> HandleAsync(PeerFrame request, CancellationToken cancellationToken);
}
