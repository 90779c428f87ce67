using Stickless.Replication.Membership;
using Stickless.Replication.Placement;

namespace Stickless.Replication.PrimaryBackup;

/// <summary>
/// The owner (rank 1) and one backup (rank 2) hold a session; a joining node also gets the copy when it will rank 1 or
/// 2 once Ready, so it holds every write by the time it takes over.
/// </summary>
internal sealed class PrimaryBackupTopology : IReplicationTopology
{
    public static PrimaryBackupTopology Instance { get; } = new();

    public bool ReadsLocally => false;

    public IReadOnlyList<string> CopyTargets(string sessionId, ClusterView view, string self)
    {
        var targets = new List<string>(2);
        foreach (var node in RendezvousPlacement.Rank(sessionId, view.Ready, 2))
        {
            if (node != self)
            {
                targets.Add(node);
            }
        }

        foreach (var joiner in view.Joining)
        {
            if (joiner != self && !targets.Contains(joiner) && Holds(sessionId, view, joiner))
            {
                targets.Add(joiner);
            }
        }

        return targets;
    }

    public bool Holds(string sessionId, ClusterView view, string node)
    {
        var nodes = view.Ready.Contains(node, StringComparer.Ordinal) ? view.Ready : [.. view.Ready, node];
        return RendezvousPlacement.Rank(sessionId, nodes, 2).Contains(node, StringComparer.Ordinal);
    }
}
