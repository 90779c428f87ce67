namespace Stickless;

/// <summary>
/// One attribute's part of a <see cref="SessionChangeSet"/>: a new value or a removal, optionally compare-and-set,
/// or a commutative operation (increment, set add, set remove) that the store applies to what it holds.
/// </summary>
public readonly struct AttributeChange
{
    private AttributeChange(AttributeChangeKind kind, ReadOnlyMemory<byte> value, long? expectedVersion, long delta)
    {
        Kind = kind;
        Value = value;
        ExpectedVersion = expectedVersion;
        Delta = delta;
    }

    /// <summary>What the change does.</summary>
    public AttributeChangeKind Kind { get; }

    /// <summary>
    /// For <see cref="AttributeChangeKind.Set"/>, the new serialized value; for the set operations, the member as
    /// UTF-8 JSON (a string or an integer); empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True when the attribute is removed.</summary>
    public bool IsRemoval => Kind == AttributeChangeKind.Remove;

    /// <summary>True for the commutative operations (increment, set add, set remove), which carry no expected version.</summary>
    public bool IsOperation => Kind >= AttributeChangeKind.Increment;

    /// <summary>For <see cref="AttributeChangeKind.Increment"/>, the amount added (may be negative).</summary>
    public long Delta { get; }

    /// <summary>
    /// When set, the change applies only if the stored version still equals this value
    /// (0 means "the attribute must not exist"); otherwise the whole change set is refused with
    /// <see cref="CommitStatus.Conflict"/>. When null the change is a blind write of this one attribute.
    /// Always null for operations.
    /// </summary>
    public long? ExpectedVersion { get; }

    /// <summary>Sets the attribute to <paramref name="value"/>.</summary>
    public static AttributeChange Set(ReadOnlyMemory<byte> value, long? expectedVersion = null) => new(AttributeChangeKind.Set, value, expectedVersion, 0);

    /// <summary>Removes the attribute.</summary>
    public static AttributeChange Remove(long? expectedVersion = null) => new(AttributeChangeKind.Remove, ReadOnlyMemory<byte>.Empty, expectedVersion, 0);

    /// <summary>Adds <paramref name="delta"/> to the attribute's JSON integer (absent counts as 0).</summary>
    public static AttributeChange Increment(long delta) => new(AttributeChangeKind.Increment, ReadOnlyMemory<byte>.Empty, null, delta);

    /// <summary>Adds <paramref name="memberJson"/> (a JSON string or integer) to the attribute's JSON array unless an equal member is there.</summary>
    /// <exception cref="ArgumentException"><paramref name="memberJson"/> is not a JSON string or integer.</exception>
    public static AttributeChange AddToSet(ReadOnlyMemory<byte> memberJson)
    {
        AttributeOperations.EnsureMember(memberJson.Span);
        return new(AttributeChangeKind.AddToSet, memberJson, null, 0);
    }

    /// <summary>Removes every member equal to <paramref name="memberJson"/> (a JSON string or integer) from the attribute's JSON array.</summary>
    /// <exception cref="ArgumentException"><paramref name="memberJson"/> is not a JSON string or integer.</exception>
    public static AttributeChange RemoveFromSet(ReadOnlyMemory<byte> memberJson)
    {
        AttributeOperations.EnsureMember(memberJson.Span);
        return new(AttributeChangeKind.RemoveFromSet, memberJson, null, 0);
    }
}
