using System.Buffers;
using System.Text.Json;

namespace Stickless;

/// <summary>
/// The commutative attribute operations (<see cref="AttributeChangeKind.Increment"/>,
/// <see cref="AttributeChangeKind.AddToSet"/>, <see cref="AttributeChangeKind.RemoveFromSet"/>) applied to the bytes a
/// store holds. Stores that apply change sets in .NET use this through <see cref="ChangeSetApplier"/>; the Redis store's
/// scripts implement the same rules in Lua.
/// </summary>
/// <remarks>
/// Values are UTF-8 JSON. A counter is a JSON integer (64-bit); a set is a JSON array whose members are JSON strings or
/// integers, compared by value (the string <c>"1"</c> and the integer <c>1</c> differ), kept in insertion order. An
/// attribute that holds something else (or an increment that would overflow) is refused: the store answers
/// <see cref="CommitStatus.Conflict"/> with the value it holds, and nothing of the change set is written.
/// </remarks>
public static class AttributeOperations
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = SessionAttributeSerializer.DefaultMaxDepth };

    /// <summary>The outcome of one operation.</summary>
    public enum Outcome
    {
        /// <summary>The attribute takes the new value.</summary>
        Changed,

        /// <summary>The operation changes nothing (the member was already there, or was not there to remove).</summary>
        Unchanged,

        /// <summary>The stored value has the wrong shape for the operation, or the increment overflows.</summary>
        Refused,
    }

    /// <summary>Throws unless <paramref name="memberJson"/> is one JSON string or integer.</summary>
    /// <exception cref="ArgumentException">It is anything else.</exception>
    public static void EnsureMember(ReadOnlySpan<byte> memberJson)
    {
        if (!TryReadMember(memberJson, out _))
        {
            throw new ArgumentException("A set member must be one JSON string or integer.", nameof(memberJson));
        }
    }

    /// <summary>Applies <paramref name="change"/> (an operation) to the stored value.</summary>
    /// <param name="change">An increment, set add or set remove.</param>
    /// <param name="stored">The stored value; ignored when <paramref name="exists"/> is false.</param>
    /// <param name="exists">True when the attribute exists.</param>
    /// <param name="result">The new value when the outcome is <see cref="Outcome.Changed"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="change"/> is not an operation.</exception>
    public static Outcome Apply(in AttributeChange change, ReadOnlySpan<byte> stored, bool exists, out byte[]? result)
    {
        result = null;
        switch (change.Kind)
        {
            case AttributeChangeKind.Increment:
                long current = 0;
                if (exists && !TryReadInteger(stored, out current))
                {
                    return Outcome.Refused;
                }

                long next;
                try
                {
                    next = checked(current + change.Delta);
                }
                catch (OverflowException)
                {
                    return Outcome.Refused;
                }

                result = System.Text.Encoding.ASCII.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return Outcome.Changed;

            case AttributeChangeKind.AddToSet:
            case AttributeChangeKind.RemoveFromSet:
                return ApplySetOperation(change, stored, exists, out result);

            default:
                throw new ArgumentException($"{change.Kind} is not an attribute operation.", nameof(change));
        }
    }

    private static Outcome ApplySetOperation(in AttributeChange change, ReadOnlySpan<byte> stored, bool exists, out byte[]? result)
    {
        result = null;
        if (!TryReadMember(change.Value.Span, out var member))
        {
            return Outcome.Refused;
        }

        var add = change.Kind == AttributeChangeKind.AddToSet;
        if (!exists)
        {
            if (!add)
            {
                return Outcome.Unchanged;
            }

            result = WriteArray([], change.Value.Span);
            return Outcome.Changed;
        }

        if (!TryReadArray(stored, out var elements))
        {
            return Outcome.Refused;
        }

        var found = false;
        var kept = new List<ReadOnlyMemory<byte>>(elements.Count);
        foreach (var element in elements)
        {
            if (TryReadMember(element.Span, out var existing) && existing.Equals(member))
            {
                found = true;
                if (add)
                {
                    return Outcome.Unchanged;
                }

                continue;
            }

            kept.Add(element);
        }

        if (!add && !found)
        {
            return Outcome.Unchanged;
        }

        result = WriteArray(kept, add ? change.Value.Span : default);
        return Outcome.Changed;
    }

    private static bool TryReadInteger(ReadOnlySpan<byte> json, out long value)
    {
        value = 0;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadMember(ReadOnlySpan<byte> json, out SetMember member)
    {
        member = default;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read())
            {
                return false;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    member = new SetMember(reader.GetString(), 0);
                    break;
                case JsonTokenType.Number when reader.TryGetInt64(out var number):
                    member = new SetMember(null, number);
                    break;
                default:
                    return false;
            }

            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The raw bytes of each element of a top-level JSON array (nested values kept as they are).
    private static bool TryReadArray(ReadOnlySpan<byte> json, out List<ReadOnlyMemory<byte>> elements)
    {
        elements = [];
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = SessionAttributeSerializer.DefaultMaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var element in document.RootElement.EnumerateArray())
            {
                elements.Add(System.Text.Encoding.UTF8.GetBytes(element.GetRawText()));
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] WriteArray(List<ReadOnlyMemory<byte>> elements, ReadOnlySpan<byte> appended)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartArray();
            foreach (var element in elements)
            {
                writer.WriteRawValue(element.Span, skipInputValidation: true);
            }

            if (!appended.IsEmpty)
            {
                writer.WriteRawValue(appended, skipInputValidation: true);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private readonly record struct SetMember(string? Text, long Number);
}
