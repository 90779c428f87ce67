namespace Stickless;

/// <summary>
/// Bounds on what one session may hold. Writes beyond them throw <see cref="SessionLimitExceededException"/>
/// at the call that would break them, before anything reaches the store.
/// </summary>
public sealed class SessionLimits
{
    /// <summary>The longest attribute name, in UTF-16 characters. Default 256.</summary>
    public int MaxNameLength { get; set; } = 256;

    /// <summary>The largest serialized attribute value, in bytes. Default 64 KiB.</summary>
    public int MaxAttributeBytes { get; set; } = 64 * 1024;

    /// <summary>The most attributes one session may hold. Default 256.</summary>
    public int MaxAttributeCount { get; set; } = 256;

    /// <summary>The largest total of names and values, in bytes. Default 256 KiB.</summary>
    public int MaxTotalBytes { get; set; } = 256 * 1024;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        if (MaxNameLength <= 0) { errors.Add($"{nameof(SessionLimits)}.{nameof(MaxNameLength)} must be positive (was {MaxNameLength})."); }
        if (MaxAttributeBytes <= 0) { errors.Add($"{nameof(SessionLimits)}.{nameof(MaxAttributeBytes)} must be positive (was {MaxAttributeBytes})."); }
        if (MaxAttributeCount <= 0) { errors.Add($"{nameof(SessionLimits)}.{nameof(MaxAttributeCount)} must be positive (was {MaxAttributeCount})."); }
        if (MaxTotalBytes < MaxAttributeBytes) { errors.Add($"{nameof(SessionLimits)}.{nameof(MaxTotalBytes)} ({MaxTotalBytes}) must be at least {nameof(MaxAttributeBytes)} ({MaxAttributeBytes})."); }
    }
}
