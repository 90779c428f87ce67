using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Stickless;

/// <summary>
/// Turns typed session attributes into bytes and back: UTF-8 JSON with System.Text.Json.
/// </summary>
/// <remarks>
/// <para>
/// Default options: <see cref="JsonSerializerDefaults.Web"/> (camelCase names, case-insensitive reading,
/// numbers allowed as strings) with <see cref="JsonSerializerOptions.MaxDepth"/> 32, so a deeply nested
/// value fails cleanly instead of costing stack.
/// </para>
/// <para>
/// No type is ever chosen by the stored bytes: there is no type-name reading (nothing like
/// <c>TypeNameHandling</c>), the default options add no resolver modifiers and no reference handling
/// (<c>$id</c>/<c>$ref</c>), and the only polymorphism System.Text.Json supports is opt-in on the declared
/// type, limited to the derived types it lists with <c>[JsonDerivedType]</c>. Callers who pass their own
/// options must keep it that way: do not add resolver modifiers that map <c>$type</c> values to arbitrary types.
/// </para>
/// <para>
/// The <see cref="JsonSerializerOptions"/> overloads use reflection; trimmed and native AOT applications use
/// the <see cref="JsonTypeInfo{T}"/> overloads with a source-generated <c>JsonSerializerContext</c>.
/// </para>
/// </remarks>
public static class SessionAttributeSerializer
{
    /// <summary>The largest nesting depth the default options read or write.</summary>
    public const int DefaultMaxDepth = 32;

    private const string ReflectionMessage = "Uses reflection-based System.Text.Json serialization; use the JsonTypeInfo<T> overload for trimmed or AOT applications.";

    // Never handed out: it becomes read-only on first use, and nobody can add a resolver modifier to it.
    private static readonly JsonSerializerOptions Default = CreateDefaultOptions();

    /// <summary>Creates a fresh, mutable copy of the default options (Web defaults, max depth 32), for callers who want to add converters or a source-generated resolver.</summary>
    public static JsonSerializerOptions CreateDefaultOptions() => new(JsonSerializerDefaults.Web) { MaxDepth = DefaultMaxDepth };

    /// <summary>Serializes <paramref name="value"/> to UTF-8 JSON.</summary>
    /// <param name="value">The value.</param>
    /// <param name="options">Serializer options; null for the defaults.</param>
    /// <exception cref="JsonException">The value cannot be represented (for example a cycle, or nesting beyond the max depth).</exception>
    /// <exception cref="NotSupportedException">The type cannot be serialized.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static byte[] Serialize<T>(T value, JsonSerializerOptions? options = null) =>
        JsonSerializer.SerializeToUtf8Bytes(value, options ?? Default);

    /// <summary>Serializes <paramref name="value"/> to UTF-8 JSON with source-generated metadata (trim and AOT safe).</summary>
    /// <exception cref="JsonException">The value cannot be represented.</exception>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
    }

    /// <summary>Reads a <typeparamref name="T"/> from UTF-8 JSON; never throws on bad input.</summary>
    /// <param name="utf8">The stored bytes.</param>
    /// <param name="value">The value read (which may be null for the JSON literal <c>null</c>); default on failure.</param>
    /// <param name="options">Serializer options; null for the defaults.</param>
    /// <returns>
    /// False when the bytes are not a <typeparamref name="T"/>: malformed or truncated JSON, invalid UTF-8,
    /// trailing data, nesting beyond the max depth, a value of the wrong shape or out of range, or a payload
    /// naming an unknown or abstract type.
    /// </returns>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static bool TryDeserialize<T>(ReadOnlySpan<byte> utf8, out T? value, JsonSerializerOptions? options = null)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(utf8, options ?? Default);
            return true;
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            value = default;
            return false;
        }
    }

    /// <summary>Reads a <typeparamref name="T"/> from UTF-8 JSON with source-generated metadata (trim and AOT safe); never throws on bad input.</summary>
    /// <param name="utf8">The stored bytes.</param>
    /// <param name="value">The value read; default on failure.</param>
    /// <param name="typeInfo">The type's metadata, usually from a source-generated <c>JsonSerializerContext</c>.</param>
    /// <returns>False when the bytes are not a <typeparamref name="T"/> (see the other overload).</returns>
    public static bool TryDeserialize<T>(ReadOnlySpan<byte> utf8, out T? value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            value = JsonSerializer.Deserialize(utf8, typeInfo);
            return true;
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            value = default;
            return false;
        }
    }

    // JsonException covers malformed JSON and values of the wrong shape; NotSupportedException is what
    // System.Text.Json throws when the payload leads it to an abstract type it cannot create.
    private static bool IsBadInput(Exception ex) => ex is JsonException or NotSupportedException;
}
