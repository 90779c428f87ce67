using Stickless.Replication.Placement;

namespace Stickless.Replication.Tests.Placement;

public sealed class RendezvousPlacementTests
{
    private static readonly string[] Ids = [.. Enumerable.Range(0, 3000).Select(i => SessionIds.Create())];

    [Fact]
    public void Owner_ManySessions_SpreadsEvenly()
    {
        string[] nodes = ["node1", "node2", "node3"];
        var counts = Ids.GroupBy(id => RendezvousPlacement.Owner(id, nodes)).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void Owner_NodeLeaves_OnlyItsSessionsMoveAndTheirBackupTakesOver()
    {
        string[] before = ["node1", "node2", "node3", "node4"];
        string[] after = ["node1", "node2", "node4"];
        foreach (var id in Ids)
        {
            var ranked = RendezvousPlacement.Rank(id, before, 2);
            var owner = RendezvousPlacement.Owner(id, after);
            Assert.Equal(ranked[0] == "node3" ? ranked[1] : ranked[0], owner);
        }
    }

    [Fact]
    public void Rank_SameInputsInAnyOrder_SameAnswer()
    {
        string[] nodes = ["b", "a", "c"];
        string[] shuffled = ["c", "b", "a"];

        Assert.All(Ids.Take(200), id => Assert.Equal(RendezvousPlacement.Rank(id, nodes, 2), RendezvousPlacement.Rank(id, shuffled, 2)));
    }
}
