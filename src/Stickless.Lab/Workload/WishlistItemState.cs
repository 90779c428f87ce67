namespace Stickless.Lab.Workload;

/// <summary>What the shadow model believes about one wishlist item.</summary>
internal enum WishlistItemState
{
    /// <summary>Not in the wishlist (an acknowledged delete, or never added).</summary>
    Absent,

    /// <summary>In the wishlist (an acknowledged add).</summary>
    Present,

    /// <summary>A write failed without an answer: the next read decides.</summary>
    Uncertain,
}
