using System.Text;

namespace Stickless;

/// <summary>
/// Checks a prospective attribute write against <see cref="SessionLimits"/> before it reaches a store,
/// and measures sessions the way the limits count them.
/// </summary>
/// <remarks>
/// Sizes count bytes: an attribute weighs the UTF-8 bytes of its name plus the bytes of its serialized value
/// (<see cref="EntryBytes"/>); a session's total is the sum over its attributes (<see cref="TotalBytes"/>).
/// The checks run in a fixed order (name length, value size, attribute count, total size) and the first that
/// fails throws a <see cref="SessionLimitExceededException"/> whose message names the attribute, the value and
/// the limit, and whose properties carry them.
/// </remarks>
public static class SessionLimitGuard
{
    private const int MaxNameInMessage = 64;

    /// <summary>The weight of one attribute: UTF-8 bytes of <paramref name="name"/> plus <paramref name="valueBytes"/>.</summary>
    public static long EntryBytes(string name, int valueBytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Encoding.UTF8.GetByteCount(name) + (long)valueBytes;
    }

    /// <summary>The total weight of <paramref name="attributes"/>, as <see cref="SessionLimits.MaxTotalBytes"/> counts it.</summary>
    public static long TotalBytes(IEnumerable<KeyValuePair<string, SessionAttribute>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        long total = 0;
        foreach (var (name, attribute) in attributes)
        {
            total += EntryBytes(name, attribute.Value.Length);
        }

        return total;
    }

    /// <summary>Throws unless <paramref name="name"/> is a usable attribute name within <see cref="SessionLimits.MaxNameLength"/>.</summary>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    /// <exception cref="SessionLimitExceededException">The name is too long.</exception>
    public static void EnsureValidName(SessionLimits limits, string name)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > limits.MaxNameLength)
        {
            throw Exceeded(
                $"Session attribute name '{Shorten(name)}' is {name.Length} characters long; {nameof(SessionLimits)}.{nameof(SessionLimits.MaxNameLength)} is {limits.MaxNameLength}.",
                nameof(SessionLimits.MaxNameLength), limits.MaxNameLength, name.Length, name);
        }
    }

    /// <summary>
    /// Throws unless writing <paramref name="valueBytes"/> bytes to attribute <paramref name="name"/> keeps the
    /// session within <paramref name="limits"/>. The caller states what the session would hold after the write.
    /// </summary>
    /// <param name="limits">The limits.</param>
    /// <param name="name">The attribute written.</param>
    /// <param name="valueBytes">The serialized size of the new value.</param>
    /// <param name="resultingCount">How many attributes the session would hold after the write.</param>
    /// <param name="resultingTotalBytes">The session's <see cref="TotalBytes"/> after the write.</param>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    /// <exception cref="SessionLimitExceededException">A limit would be broken; nothing should be written.</exception>
    public static void EnsureWithinLimits(SessionLimits limits, string name, int valueBytes, int resultingCount, long resultingTotalBytes)
    {
        EnsureValidName(limits, name);
        if (valueBytes > limits.MaxAttributeBytes)
        {
            throw Exceeded(
                $"Session attribute '{Shorten(name)}' is {valueBytes} bytes; {nameof(SessionLimits)}.{nameof(SessionLimits.MaxAttributeBytes)} is {limits.MaxAttributeBytes}.",
                nameof(SessionLimits.MaxAttributeBytes), limits.MaxAttributeBytes, valueBytes, name);
        }

        if (resultingCount > limits.MaxAttributeCount)
        {
            throw Exceeded(
                $"Writing session attribute '{Shorten(name)}' would make {resultingCount} attributes; {nameof(SessionLimits)}.{nameof(SessionLimits.MaxAttributeCount)} is {limits.MaxAttributeCount}.",
                nameof(SessionLimits.MaxAttributeCount), limits.MaxAttributeCount, resultingCount, name);
        }

        if (resultingTotalBytes > limits.MaxTotalBytes)
        {
            throw Exceeded(
                $"Writing session attribute '{Shorten(name)}' would make the session {resultingTotalBytes} bytes (names and values); {nameof(SessionLimits)}.{nameof(SessionLimits.MaxTotalBytes)} is {limits.MaxTotalBytes}.",
                nameof(SessionLimits.MaxTotalBytes), limits.MaxTotalBytes, resultingTotalBytes, name);
        }
    }

    /// <summary>
    /// Convenience form of <see cref="EnsureWithinLimits(SessionLimits, string, int, int, long)"/>: computes the
    /// resulting count and total from the attributes the session holds now (as the caller sees them).
    /// </summary>
    /// <param name="limits">The limits.</param>
    /// <param name="current">The attributes before the write.</param>
    /// <param name="name">The attribute written.</param>
    /// <param name="valueBytes">The serialized size of the new value.</param>
    public static void EnsureCanSet(SessionLimits limits, IReadOnlyDictionary<string, SessionAttribute> current, string name, int valueBytes)
    {
        ArgumentNullException.ThrowIfNull(current);
        EnsureValidName(limits, name);
        var total = TotalBytes(current) + EntryBytes(name, valueBytes);
        var count = current.Count + 1;
        if (current.TryGetValue(name, out var existing))
        {
            total -= EntryBytes(name, existing.Value.Length);
            count--;
        }

        EnsureWithinLimits(limits, name, valueBytes, count, total);
    }

    private static SessionLimitExceededException Exceeded(string message, string limitName, long limit, long actual, string name) =>
        new(message) { LimitName = limitName, Limit = limit, Actual = actual, AttributeName = Shorten(name) };

    private static string Shorten(string name) => name.Length <= MaxNameInMessage ? name : string.Concat(name.AsSpan(0, MaxNameInMessage), "…");
}
