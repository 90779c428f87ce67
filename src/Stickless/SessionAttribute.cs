namespace Stickless;

/// <summary>
/// One stored attribute of a session: its serialized value and the version the store gave it.
/// </summary>
/// <remarks>
/// Versions are assigned by the store and only ever grow for a given session; a compare-and-set
/// (<see cref="AttributeChange.ExpectedVersion"/>) succeeds only when the stored version still equals
/// the version the caller read.
/// </remarks>
/// <param name="Value">The serialized value (UTF-8 JSON for typed attributes, raw bytes for <c>ISession.Set</c>).</param>
/// <param name="Version">The store-assigned version, greater than zero.</param>
public readonly record struct SessionAttribute(ReadOnlyMemory<byte> Value, long Version);
