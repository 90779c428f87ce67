namespace Stickless;

/// <summary>What one <see cref="AttributeChange"/> does to its attribute.</summary>
/// <remarks>
/// The three operations are commutative: the store applies them to whatever it holds when the commit runs, so
/// concurrent increments or set additions of one session never conflict and need no compare-and-set retry.
/// </remarks>
public enum AttributeChangeKind
{
    /// <summary>Replaces the value (optionally compare-and-set).</summary>
    Set,

    /// <summary>Removes the attribute (optionally compare-and-set).</summary>
    Remove,

    /// <summary>Adds <see cref="AttributeChange.Delta"/> to a JSON integer; an absent attribute counts as 0.</summary>
    Increment,

    /// <summary>Adds a member (a JSON string or integer, <see cref="AttributeChange.Value"/>) to a JSON array unless an equal member is there; an absent attribute counts as <c>[]</c>.</summary>
    AddToSet,

    /// <summary>Removes every member equal to <see cref="AttributeChange.Value"/> from a JSON array; an absent attribute stays absent.</summary>
    RemoveFromSet,
}
