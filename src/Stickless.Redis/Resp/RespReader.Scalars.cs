using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Stickless.Redis.Resp;

public ref partial struct RespReader
{
    // Numbers and length headers are short; a longer one is malformed, and copying a short one that straddles
    // two buffer segments onto the stack keeps the hot path free of allocations.
    private const int MaxNumberLength = 64;

    private readonly bool TryReadSimpleString(ref SequenceReader<byte> reader, bool materialize, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        if (materialize) { value = RespValue.FromSimpleString(DecodeSimpleString(line)); }
        return true;
    }

    private readonly bool TryReadSimpleError(ref SequenceReader<byte> reader, bool materialize, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        if (materialize) { value = RespValue.FromError(DecodeUtf8(line)); }
        return true;
    }

    private readonly bool TryReadInteger(ref SequenceReader<byte> reader, bool materialize, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        var text = CheckNumberLength(line, "integer");
        // Utf8Parser reads an optional '-'; RESP3 also allows '+'.
        var unsigned = text.Length > 1 && text[0] == (byte)'+' && text[1] != (byte)'-' ? text[1..] : text;
        if (!Utf8Parser.TryParse(unsigned, out long number, out var used) || used != unsigned.Length)
        {
            throw new RespProtocolException($"Integer '{Printable(text)}' is not a 64-bit decimal number.");
        }
        if (materialize) { value = RespValue.FromInteger(number); }
        return true;
    }

    private readonly bool TryReadNull(ref SequenceReader<byte> reader, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        if (!line.IsEmpty) { throw new RespProtocolException("A RESP3 null ('_') carries data before its CRLF."); }
        value = RespValue.Null;
        return true;
    }

    private readonly bool TryReadBoolean(ref SequenceReader<byte> reader, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        var text = CheckNumberLength(line, "boolean");
        value = text.SequenceEqual("t"u8) ? RespValue.FromBoolean(true)
            : text.SequenceEqual("f"u8) ? RespValue.FromBoolean(false)
            : throw new RespProtocolException($"Boolean '{Printable(text)}' is neither 't' nor 'f'.");
        return true;
    }

    private readonly bool TryReadDouble(ref SequenceReader<byte> reader, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        var text = CheckNumberLength(line, "double");
        double number;
        if (text.SequenceEqual("inf"u8) || text.SequenceEqual("+inf"u8)) { number = double.PositiveInfinity; }
        else if (text.SequenceEqual("-inf"u8)) { number = double.NegativeInfinity; }
        else if (text.SequenceEqual("nan"u8) || text.SequenceEqual("-nan"u8)) { number = double.NaN; }
        else if (text.IsEmpty || !double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number))
        {
            throw new RespProtocolException($"Double '{Printable(text)}' is not a decimal number, inf, -inf or nan.");
        }
        value = RespValue.FromDouble(number);
        return true;
    }

    private readonly bool TryReadBigNumber(ref SequenceReader<byte> reader, bool materialize, out RespValue value)
    {
        value = default;
        if (!TryReadLine(ref reader, out var line)) { return false; }
        var digits = line.Length > 0 && line[0] == (byte)'-' ? line[1..] : line;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new RespProtocolException("A big number is not an optional '-' followed by decimal digits.");
        }
        if (materialize) { value = RespValue.FromBigNumber(DecodeUtf8(line)); }
        return true;
    }

    /// <summary>
    /// Reads up to LF; the line must end in CRLF and hold no other CR. The CRLF is not part of <paramref name="line"/>.
    /// A line inside one buffer segment (nearly always) is returned in place; one that straddles segments is copied.
    /// </summary>
    private readonly bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        var span = reader.UnreadSpan;
        var lf = span.IndexOf((byte)'\n');
        if (lf >= 0)
        {
            line = CheckLine(span[..lf]);
            reader.Advance(lf + 1);
            return true;
        }
        if (!reader.TryReadTo(out ReadOnlySequence<byte> straddling, (byte)'\n'))
        {
            if (reader.Remaining > _options.MaxLineLength)
            {
                throw new RespProtocolException($"No CRLF within {_options.MaxLineLength} bytes of a line.");
            }
            line = default;
            return false;
        }
        if (straddling.Length > _options.MaxLineLength + 1)
        {
            throw new RespProtocolException($"A line of {straddling.Length - 1} bytes exceeds the limit of {_options.MaxLineLength}.");
        }
        line = CheckLine(straddling.ToArray());
        return true;
    }

    /// <summary>Takes a line up to (not including) LF; checks it and returns it without its CR.</summary>
    private readonly ReadOnlySpan<byte> CheckLine(ReadOnlySpan<byte> withCr)
    {
        if (withCr.Length > _options.MaxLineLength + 1)
        {
            throw new RespProtocolException($"A line of {withCr.Length - 1} bytes exceeds the limit of {_options.MaxLineLength}.");
        }
        if (withCr.IsEmpty || withCr[^1] != (byte)'\r')
        {
            throw new RespProtocolException("A line ends with LF not preceded by CR.");
        }
        var line = withCr[..^1];
        if (line.Contains((byte)'\r'))
        {
            throw new RespProtocolException("A line holds a bare CR.");
        }
        return line;
    }

    /// <summary>Parses a length header: decimal digits, or -1 (null) where <paramref name="allowNull"/>. Returns -1 for null.</summary>
    private static long ParseLength(ReadOnlySpan<byte> line, RespType type, bool allowNull)
    {
        var text = CheckNumberLength(line, LengthHeader);
        if (text.SequenceEqual("-1"u8))
        {
            return allowNull ? -1 : throw new RespProtocolException($"A {type} cannot be null (length -1).");
        }
        if (text.SequenceEqual("?"u8))
        {
            throw new RespProtocolException($"Streamed {type} (length '?') is not supported.");
        }
        // Redis's own limit is 512 MiB; 18 digits cannot overflow a long and leaves every real length room.
        if (text.IsEmpty || text.Length > 18)
        {
            throw new RespProtocolException($"{type} length '{Printable(text)}' is not a non-negative decimal number.");
        }
        long length = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new RespProtocolException($"{type} length '{Printable(text)}' is not a non-negative decimal number (only -1 means null).");
            }
            length = (length * 10) + (b - '0');
        }
        return length;
    }

    private const string LengthHeader = "length header";

    private static ReadOnlySpan<byte> CheckNumberLength(ReadOnlySpan<byte> line, string what) =>
        line.Length <= MaxNumberLength ? line : throw new RespProtocolException($"A {what} of {line.Length} characters is too long.");

    private static string DecodeSimpleString(ReadOnlySpan<byte> line)
    {
        // The replies that dominate real traffic get shared strings instead of fresh ones.
        if (line.SequenceEqual("OK"u8)) { return "OK"; }
        if (line.SequenceEqual("PONG"u8)) { return "PONG"; }
        if (line.SequenceEqual("QUEUED"u8)) { return "QUEUED"; }
        return Encoding.UTF8.GetString(line);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string DecodeUtf8(ReadOnlySequence<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Printable(ReadOnlySpan<byte> text)
    {
        var shown = text.Length > 24 ? text[..24] : text;
        var chars = new char[shown.Length];
        for (var i = 0; i < shown.Length; i++) { chars[i] = shown[i] is >= 0x20 and < 0x7F ? (char)shown[i] : '?'; }
        return text.Length > 24 ? new string(chars) + "…" : new string(chars);
    }
}
