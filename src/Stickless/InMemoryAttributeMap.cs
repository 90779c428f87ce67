using System.Collections.ObjectModel;

namespace Stickless;

/// <summary>
/// The read-only attribute map of an <see cref="InMemorySessionState"/>. Callers see it read-only; the store
/// reaches the dictionary inside to copy it quickly when a commit builds the next state.
/// </summary>
internal sealed class InMemoryAttributeMap(Dictionary<string, SessionAttribute> attributes) : ReadOnlyDictionary<string, SessionAttribute>(attributes)
{
    /// <summary>The map of a session without attributes.</summary>
    public static InMemoryAttributeMap None { get; } = new(new Dictionary<string, SessionAttribute>(0, StringComparer.Ordinal));

    /// <summary>A mutable copy, for building the next state.</summary>
    public Dictionary<string, SessionAttribute> CopyContents(int extraCapacity)
    {
        var copy = new Dictionary<string, SessionAttribute>(Count + extraCapacity, StringComparer.Ordinal);
        foreach (var (name, attribute) in (Dictionary<string, SessionAttribute>)Dictionary)
        {
            copy.Add(name, attribute);
        }

        return copy;
    }

    /// <summary>Wraps a freshly built dictionary, which nobody may change afterwards.</summary>
    public static InMemoryAttributeMap Wrap(Dictionary<string, SessionAttribute> attributes) =>
        attributes.Count == 0 ? None : new InMemoryAttributeMap(attributes);
}
