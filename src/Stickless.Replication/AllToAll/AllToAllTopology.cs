using Stickless.Replication.Membership;
using Stickless.Replication.Placement;

namespace Stickless.Replication.AllToAll;

/// <summary>Every node holds every session: the owner copies each write to every other live node, joining ones included.</summary>
internal sealed class AllToAllTopology : IReplicationTopology
{
    public static AllToAllTopology Instance { get; } = new();

    public bool ReadsLocally => true;

    public IReadOnlyList<string> CopyTargets(string sessionId, ClusterView view, string self) =>
        [.. view.Ready.Concat(view.Joining).Where(n => n != self).Distinct(StringComparer.Ordinal)];

    public bool Holds(string sessionId, ClusterView view, string node) => true;
}
