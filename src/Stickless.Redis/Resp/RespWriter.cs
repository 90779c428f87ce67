using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Stickless.Redis.Resp;

/// <summary>
/// Writes commands the way Redis expects them from clients: a RESP array of bulk strings
/// (<c>*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n</c>).
/// </summary>
/// <remarks>
/// Nothing here allocates: numbers are formatted and text is encoded straight into the destination.
/// The <c>Try*</c> methods write into a span and return <see langword="false"/> when it is too small;
/// the <c>Write*</c> methods write into an <see cref="IBufferWriter{T}"/>, asking it for space piece by piece.
/// </remarks>
public static class RespWriter
{
    // "$" + up to 19 digits + CRLF, or "*" + digits + CRLF.
    private const int MaxHeaderLength = 1 + 20 + 2;

    // Large values are copied in slices so that one huge argument does not demand one huge buffer segment.
    private const int MaxChunk = 64 * 1024;

    /// <summary>The exact number of bytes <see cref="WriteCommand"/> writes for this command.</summary>
    public static long GetCommandLength(string command, ReadOnlySpan<ReadOnlyMemory<byte>> args)
    {
        long length = HeaderLength(args.Length + 1) + BulkLength(Encoding.UTF8.GetByteCount(command));
        foreach (var arg in args) { length += BulkLength(arg.Length); }
        return length;
    }

    /// <summary>Writes <paramref name="command"/> and its <paramref name="args"/> as one RESP array of bulk strings.</summary>
    public static void WriteCommand(IBufferWriter<byte> writer, string command, ReadOnlySpan<ReadOnlyMemory<byte>> args)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteArrayHeader(writer, args.Length + 1);
        WriteBulkString(writer, command);
        foreach (var arg in args) { WriteBulkString(writer, arg.Span); }
    }

    /// <summary>
    /// Writes the command into <paramref name="destination"/>. Returns <see langword="false"/>, with
    /// <paramref name="bytesWritten"/> 0, when it does not fit.
    /// </summary>
    public static bool TryWriteCommand(Span<byte> destination, string command, ReadOnlySpan<ReadOnlyMemory<byte>> args, out int bytesWritten)
    {
        bytesWritten = 0;
        var span = destination;
        if (!TryWriteHeader(ref span, (byte)'*', args.Length + 1)) { return false; }
        var commandLength = Encoding.UTF8.GetByteCount(command);
        if (!TryWriteHeader(ref span, (byte)'$', commandLength) || span.Length < commandLength + 2) { return false; }
        Encoding.UTF8.GetBytes(command, span);
        "\r\n"u8.CopyTo(span[commandLength..]);
        span = span[(commandLength + 2)..];
        foreach (var arg in args)
        {
            if (!TryWriteBulkString(ref span, arg.Span)) { return false; }
        }
        bytesWritten = destination.Length - span.Length;
        return true;
    }

    /// <summary>Writes an array header <c>*count\r\n</c>.</summary>
    public static void WriteArrayHeader(IBufferWriter<byte> writer, int count)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(MaxHeaderLength);
        var free = span.Length;
        TryWriteHeader(ref span, (byte)'*', count);
        writer.Advance(free - span.Length);
    }

    /// <summary>Writes a bulk string <c>$length\r\nbytes\r\n</c>.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var small = MaxHeaderLength + value.Length + 2;
        if (value.Length <= MaxChunk)
        {
            var span = writer.GetSpan(small);
            var free = span.Length;
            TryWriteBulkString(ref span, value);
            writer.Advance(free - span.Length);
            return;
        }
        var header = writer.GetSpan(MaxHeaderLength);
        var headerFree = header.Length;
        TryWriteHeader(ref header, (byte)'$', value.Length);
        writer.Advance(headerFree - header.Length);
        while (!value.IsEmpty)
        {
            var chunk = writer.GetSpan(Math.Min(value.Length, MaxChunk));
            var n = Math.Min(chunk.Length, value.Length);
            value[..n].CopyTo(chunk);
            writer.Advance(n);
            value = value[n..];
        }
        writer.Write("\r\n"u8);
    }

    /// <summary>Writes text as a UTF-8 bulk string without an intermediate array.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, string value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > MaxChunk)
        {
            WriteBulkString(writer, Encoding.UTF8.GetBytes(value));
            return;
        }
        var span = writer.GetSpan(MaxHeaderLength + length + 2);
        var free = span.Length;
        TryWriteHeader(ref span, (byte)'$', length);
        Encoding.UTF8.GetBytes(value, span);
        "\r\n"u8.CopyTo(span[length..]);
        writer.Advance(free - span.Length + length + 2);
    }

    /// <summary>Writes an integer as a bulk string of its decimal digits (how commands take numbers).</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, long value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var n);
        WriteBulkString(writer, digits[..n]);
    }

    /// <summary>Writes a bulk string into <paramref name="destination"/> and moves past it; <see langword="false"/> if it does not fit.</summary>
    public static bool TryWriteBulkString(ref Span<byte> destination, ReadOnlySpan<byte> value)
    {
        var span = destination;
        if (!TryWriteHeader(ref span, (byte)'$', value.Length) || span.Length < value.Length + 2) { return false; }
        value.CopyTo(span);
        "\r\n"u8.CopyTo(span[value.Length..]);
        destination = span[(value.Length + 2)..];
        return true;
    }

    private static bool TryWriteHeader(ref Span<byte> destination, byte prefix, long number)
    {
        if (destination.Length < 4) { return false; }
        destination[0] = prefix;
        if (!Utf8Formatter.TryFormat(number, destination[1..], out var digits) || destination.Length < 1 + digits + 2) { return false; }
        destination[1 + digits] = (byte)'\r';
        destination[2 + digits] = (byte)'\n';
        destination = destination[(3 + digits)..];
        return true;
    }

    private static int HeaderLength(long number) => 1 + DigitCount(number) + 2;

    private static long BulkLength(int length) => HeaderLength(length) + length + 2;

    private static int DigitCount(long number)
    {
        var digits = 1;
        while (number >= 10) { number /= 10; digits++; }
        return digits;
    }
}
