namespace Stickless.Replication.Membership;

/// <summary>
/// This node's view of the cluster at one moment: the nodes that own sessions (Ready, alive) and the nodes that are
/// alive but joining. Views of different nodes may disagree for a moment; the store's fencing keeps that safe.
/// </summary>
/// <param name="Version">Grows by one at every change on this node.</param>
/// <param name="Ready">Ready and alive node ids, this node included when it is Ready, sorted ordinally.</param>
/// <param name="Joining">Alive node ids still joining (they receive copies but own nothing), sorted.</param>
public sealed record ClusterView(long Version, IReadOnlyList<string> Ready, IReadOnlyList<string> Joining)
{
    /// <summary>True when <paramref name="nodeId"/> is Ready in this view.</summary>
    public bool IsReady(string nodeId) => Ready.Contains(nodeId, StringComparer.Ordinal);
}
