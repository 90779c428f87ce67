using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Stickless.Replication.Transport;

/// <summary>
/// Writes the fields of a peer message body: fixed-width little-endian integers, and strings and byte strings
/// prefixed with their length. Every writer has its reader twin in <see cref="PeerReader"/>.
/// </summary>
internal sealed class PeerWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public PeerWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    /// <summary>How many bytes were written.</summary>
    public int Length => _buffer.WrittenCount;

    public void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>An instant as UTC ticks.</summary>
    public void Instant(DateTimeOffset value) => Int64(value.UtcTicks);

    public void Duration(TimeSpan value) => Int64(value.Ticks);

    /// <summary>A UTF-8 string of at most 65,535 bytes, prefixed with its length (u16).</summary>
    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new PeerProtocolException($"A string field of {length} bytes exceeds {ushort.MaxValue}.");
        }

        UInt16((ushort)length);
        var span = _buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }

    /// <summary>A string that may be null: a presence byte, then the string.</summary>
    public void NullableString(string? value)
    {
        Bool(value is not null);
        if (value is not null)
        {
            String(value);
        }
    }

    /// <summary>A byte string prefixed with its length (i32).</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        Raw(value);
    }

    /// <summary>Bytes without a length prefix.</summary>
    public void Raw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }
}
