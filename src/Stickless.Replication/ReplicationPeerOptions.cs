namespace Stickless.Replication;

/// <summary>One node of the static peer list (<c>Stickless:Replication:Peers:N:NodeId</c> and <c>…:Url</c>).</summary>
public sealed class ReplicationPeerOptions
{
    /// <summary>
    /// The node's stable id: 1 to 64 characters of <c>A-Z a-z 0-9 . _ -</c>. It orders placement (rendezvous hashing)
    /// and is the value of the owner-affine routing cookie, so a load balancer can route by it. No default.
    /// </summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>The base address the node's app listens on (<c>http://127.0.0.1:5001</c>); peer calls go to <c>{Url}/stickless/peer</c>. No default.</summary>
    public string Url { get; set; } = string.Empty;
}
