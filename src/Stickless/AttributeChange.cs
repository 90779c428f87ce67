namespace Stickless;

/// <summary>One attribute's part of a <see cref="SessionChangeSet"/>: a new value or a removal, optionally compare-and-set.</summary>
public readonly struct AttributeChange
{
    private AttributeChange(ReadOnlyMemory<byte> value, bool isRemoval, long? expectedVersion)
    {
        Value = value;
        IsRemoval = isRemoval;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The new serialized value; empty when <see cref="IsRemoval"/>.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True when the attribute is removed.</summary>
    public bool IsRemoval { get; }

    /// <summary>
    /// When set, the change applies only if the stored version still equals this value
    /// (0 means "the attribute must not exist"); otherwise the whole change set is refused with
    /// <see cref="CommitStatus.Conflict"/>. When null the change is a blind write of this one attribute.
    /// </summary>
    public long? ExpectedVersion { get; }

    /// <summary>Sets the attribute to <paramref name="value"/>.</summary>
    public static AttributeChange Set(ReadOnlyMemory<byte> value, long? expectedVersion = null) => new(value, false, expectedVersion);

    /// <summary>Removes the attribute.</summary>
    public static AttributeChange Remove(long? expectedVersion = null) => new(ReadOnlyMemory<byte>.Empty, true, expectedVersion);
}
