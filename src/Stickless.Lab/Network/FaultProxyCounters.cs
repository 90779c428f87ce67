namespace Stickless.Lab.Network;

/// <summary>What a <see cref="FaultProxy"/> has done since it started (a snapshot).</summary>
/// <param name="Accepted">Connections accepted and kept.</param>
/// <param name="Rejected">Connections reset on arrival (<see cref="LinkFaults.ResetNewConnections"/>, or the connection limit).</param>
/// <param name="Open">Connections open now.</param>
/// <param name="ForwardedToServer">Bytes written to the upstream.</param>
/// <param name="ForwardedToClient">Bytes written back to clients.</param>
/// <param name="Discarded">Bytes read and thrown away (black hole, discarding drops), both directions.</param>
/// <param name="Resets">Open connections reset (RST): by a fault, a failed upstream connect, or <see cref="FaultProxy.ResetConnections"/>.</param>
/// <param name="Drops">Connections closed by a drop.</param>
/// <param name="Buffered">Bytes read and not yet written, over every connection, now.</param>
internal sealed record FaultProxyCounters(
    long Accepted, long Rejected, int Open, long ForwardedToServer, long ForwardedToClient, long Discarded, long Resets, long Drops, long Buffered);
