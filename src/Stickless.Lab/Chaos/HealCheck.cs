namespace Stickless.Lab.Chaos;

/// <summary>
/// What the lab's own probe sessions showed across a peer partition (<c>partition-peers</c>): sessions deleted on one
/// side and written on the other, sessions written on both sides, and what every node answered for them after the heal.
/// </summary>
internal sealed record HealCheck
{
    /// <summary>Probe sessions logged out (204) on the first side while the partition held.</summary>
    public int DeletedOnOneSide { get; init; }

    /// <summary>Of those, the ones the other side then acknowledged a write to (a wishlist add answered 200), after the delete.</summary>
    public int WrittenAfterDeleteOnOtherSide { get; init; }

    /// <summary>Of the deleted ones, those some node answered as signed in after the heal: must be 0 (delete wins).</summary>
    public int Resurrected { get; init; }

    /// <summary>Probe sessions each side acknowledged a different write to (two wishlist adds) while the partition held.</summary>
    public int WrittenOnBothSides { get; init; }

    /// <summary>Of those, how many kept both sides' writes after the heal (a merge; the store keeps one history, so expect 0).</summary>
    public int KeptBothWrites { get; init; }

    /// <summary>Acknowledged probe writes missing after the heal (the losing side's, by design: counted, not silent).</summary>
    public int AcknowledgedWritesLost { get; init; }

    /// <summary>Probe sessions on which the nodes still disagreed when the check gave up: must be 0.</summary>
    public int Diverged { get; init; }

    /// <summary>Seconds from the heal until every node gave the same answer for every probe session; null when they never did within the bound.</summary>
    public double? ConvergedAfterSeconds { get; init; }
}
