using System.Globalization;
using System.Text;

namespace Stickless.Redis.Resp;

/// <summary>
/// One parsed RESP reply: a scalar, an error, a null, or an aggregate of further values.
/// </summary>
/// <remarks>
/// A small immutable struct: integers, booleans, doubles and nulls carry no heap object; common simple
/// strings (<c>OK</c>, <c>PONG</c>, <c>QUEUED</c>) are shared instances; bulk strings own a fresh
/// <see cref="byte"/> array that belongs to the reply. RESP2 and RESP3 replies of the same command look
/// alike: a map's <see cref="Items"/> are flattened key, value, key, value…, as RESP2 sends <c>HGETALL</c>.
/// </remarks>
public readonly struct RespValue : IEquatable<RespValue>
{
    private readonly object? _payload;
    private readonly long _scalar;

    private RespValue(RespType type, object? payload, long scalar, bool isNull)
    {
        Type = type;
        _payload = payload;
        _scalar = scalar;
        IsNull = isNull;
    }

    /// <summary>The RESP type of the value.</summary>
    public RespType Type { get; }

    /// <summary>True for <c>_</c>, <c>$-1</c> and <c>*-1</c>.</summary>
    public bool IsNull { get; }

    /// <summary>True for an error reply (<c>-</c> or <c>!</c>).</summary>
    public bool IsError => Type is RespType.Error or RespType.BulkError;

    /// <summary>True for arrays, maps, sets and pushes.</summary>
    public bool IsAggregate => Type is RespType.Array or RespType.Map or RespType.Set or RespType.Push;

    /// <summary>The error text of an error reply; <see langword="null"/> for any other value.</summary>
    public string? ErrorMessage => IsError ? (string?)_payload : null;

    /// <summary>
    /// The items of an aggregate (flattened key, value… for a map); empty for a null or a scalar.
    /// </summary>
    public IReadOnlyList<RespValue> Items => _payload as RespValue[] ?? [];

    /// <summary>The number of <see cref="Items"/>.</summary>
    public int Count => (_payload as RespValue[])?.Length ?? 0;

    /// <summary>The item at <paramref name="index"/> of an aggregate.</summary>
    /// <exception cref="InvalidOperationException">The value is not a non-null aggregate.</exception>
    public RespValue this[int index] => (_payload as RespValue[] ?? throw NotA("an aggregate"))[index];

    /// <summary>
    /// The bytes of a bulk or verbatim string without copying; the UTF-8 of a simple string, big number or
    /// error; empty for a null.
    /// </summary>
    public ReadOnlyMemory<byte> Memory => _payload switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        _ when Type == RespType.Integer => Encoding.ASCII.GetBytes(_scalar.ToString(CultureInfo.InvariantCulture)),
        _ => ReadOnlyMemory<byte>.Empty,
    };

    /// <summary>
    /// The bytes of a string value, or <see langword="null"/> for a null. For a bulk string this is the reply's
    /// own array (not a copy): the reply belongs to the caller.
    /// </summary>
    public byte[]? GetBytes() => IsNull ? null : _payload as byte[] ?? Memory.ToArray();

    /// <summary>
    /// The text of the value: bulk and verbatim strings decoded as UTF-8, simple strings, errors, big numbers,
    /// and integers, doubles and booleans in invariant form; <see langword="null"/> for a null.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is an aggregate.</exception>
    public string? GetString()
    {
        if (IsNull) { return null; }
        return _payload switch
        {
            string text => text,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            RespValue[] => throw NotA("a string"),
            _ => Type switch
            {
                RespType.Integer => _scalar.ToString(CultureInfo.InvariantCulture),
                RespType.Double => BitConverter.Int64BitsToDouble(_scalar).ToString("R", CultureInfo.InvariantCulture),
                RespType.Boolean => _scalar != 0 ? "true" : "false",
                _ => throw NotA("a string"),
            },
        };
    }

    /// <summary>The value as an integer: an integer reply, or a string of decimal digits (as RESP2 sends numbers in arrays).</summary>
    /// <exception cref="InvalidOperationException">The value is null, or not an integer.</exception>
    public long GetInt64()
    {
        if (Type == RespType.Integer) { return _scalar; }
        if (Type == RespType.Boolean) { return _scalar; }
        if (!IsNull && _payload is byte[] or string && long.TryParse(Memory.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        throw NotA("an integer");
    }

    /// <summary>The value as a double: a RESP3 double, an integer, or a string that parses as one.</summary>
    /// <exception cref="InvalidOperationException">The value is null, or not a number.</exception>
    public double GetDouble()
    {
        if (Type == RespType.Double) { return BitConverter.Int64BitsToDouble(_scalar); }
        if (Type == RespType.Integer) { return _scalar; }
        if (!IsNull && _payload is byte[] or string && double.TryParse(Memory.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        throw NotA("a number");
    }

    /// <summary>The value as a boolean: a RESP3 boolean, or an integer (non-zero is true), as RESP2 answers <c>EXISTS</c>.</summary>
    /// <exception cref="InvalidOperationException">The value is neither.</exception>
    public bool GetBoolean() => Type is RespType.Boolean or RespType.Integer ? _scalar != 0 : throw NotA("a boolean");

    /// <summary>Throws <see cref="RedisServerException"/> if this is an error reply; returns the value otherwise.</summary>
    public RespValue ThrowIfError() => IsError ? throw new RedisServerException(ErrorMessage ?? string.Empty) : this;

    /// <summary>A RESP3 null (<c>_</c>).</summary>
    public static RespValue Null { get; } = new(RespType.Null, null, 0, isNull: true);

    /// <summary>Creates a simple string value.</summary>
    public static RespValue FromSimpleString(string text) => new(RespType.SimpleString, text, 0, false);

    /// <summary>Creates an error value (<paramref name="bulk"/> for a RESP3 bulk error).</summary>
    public static RespValue FromError(string message, bool bulk = false) => new(bulk ? RespType.BulkError : RespType.Error, message, 0, false);

    /// <summary>Creates an integer value.</summary>
    public static RespValue FromInteger(long value) => new(RespType.Integer, null, value, false);

    /// <summary>Creates a bulk string value; <see langword="null"/> makes the RESP2 null bulk string.</summary>
    public static RespValue FromBulkString(byte[]? bytes) => new(RespType.BulkString, bytes, 0, bytes is null);

    /// <summary>Creates a bulk string value from text (UTF-8).</summary>
    public static RespValue FromBulkString(string? text) => FromBulkString(text is null ? null : Encoding.UTF8.GetBytes(text));

    /// <summary>Creates an aggregate of <paramref name="type"/>; <see langword="null"/> items make a null aggregate.</summary>
    public static RespValue FromAggregate(RespType type, RespValue[]? items)
    {
        if (type is not (RespType.Array or RespType.Map or RespType.Set or RespType.Push))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not an aggregate type.");
        }
        return new(type, items, 0, items is null);
    }

    /// <summary>Creates an array value.</summary>
    public static RespValue FromArray(params RespValue[]? items) => FromAggregate(RespType.Array, items);

    /// <summary>Creates a RESP3 boolean.</summary>
    public static RespValue FromBoolean(bool value) => new(RespType.Boolean, null, value ? 1 : 0, false);

    /// <summary>Creates a RESP3 double.</summary>
    public static RespValue FromDouble(double value) => new(RespType.Double, null, BitConverter.DoubleToInt64Bits(value), false);

    /// <summary>Creates a RESP3 big number from its decimal text.</summary>
    public static RespValue FromBigNumber(string digits) => new(RespType.BigNumber, digits, 0, false);

    /// <summary>Creates a RESP3 verbatim string (its content, without the format prefix).</summary>
    public static RespValue FromVerbatimString(byte[] content) => new(RespType.VerbatimString, content, 0, false);

    /// <inheritdoc />
    public bool Equals(RespValue other)
    {
        if (Type != other.Type || IsNull != other.IsNull || _scalar != other._scalar) { return false; }
        return (_payload, other._payload) switch
        {
            (null, null) => true,
            (string a, string b) => a == b,
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (RespValue[] a, RespValue[] b) => a.AsSpan().SequenceEqual(b),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RespValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, IsNull, _scalar, Count);

    /// <summary>Compares two values structurally.</summary>
    public static bool operator ==(RespValue left, RespValue right) => left.Equals(right);

    /// <summary>Compares two values structurally.</summary>
    public static bool operator !=(RespValue left, RespValue right) => !left.Equals(right);

    /// <summary>A short readable form for logs and test failures (bulk contents are truncated).</summary>
    public override string ToString()
    {
        if (IsNull) { return $"{Type}(null)"; }
        if (IsAggregate) { return $"{Type}[{string.Join(", ", ((RespValue[])_payload!).Select(i => i.ToString()))}]"; }
        var text = GetString() ?? string.Empty;
        return $"{Type}({(text.Length > 64 ? string.Concat(text.AsSpan(0, 64), "…") : text)})";
    }

    private InvalidOperationException NotA(string what) =>
        new($"The RESP value is {(IsNull ? "null" : Type.ToString())}, not {what}.");
}
