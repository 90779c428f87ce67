namespace Stickless.Replication.Membership;

/// <summary>One peer as <see cref="PeerMembership.Peers"/> reports it (for health pages and the lab).</summary>
/// <param name="NodeId">The peer.</param>
/// <param name="Incarnation">Its incarnation, 0 when never heard from.</param>
/// <param name="Status">What it last said about itself.</param>
/// <param name="Liveness">What this node believes.</param>
public sealed record MembershipSnapshot(string NodeId, ulong Incarnation, PeerStatus Status, PeerLiveness Liveness);
