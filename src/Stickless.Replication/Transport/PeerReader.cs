using System.Buffers.Binary;
using System.Text;

namespace Stickless.Replication.Transport;

/// <summary>
/// Reads the fields <see cref="PeerWriter"/> wrote, checking every length against what is left and against the
/// bound the caller gives; any violation throws <see cref="PeerProtocolException"/>, never an index error.
/// </summary>
internal ref struct PeerReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private ReadOnlySpan<byte> _rest;

    public PeerReader(ReadOnlySpan<byte> body) => _rest = body;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _rest.Length;

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw new PeerProtocolException($"A boolean field holds {other}."),
    };

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>A count bounded by <paramref name="max"/>.</summary>
    public int Count(int max, string what)
    {
        var count = Int32();
        if (count < 0 || count > max)
        {
            throw new PeerProtocolException($"{what}: {count} is outside 0..{max}.");
        }

        return count;
    }

    public DateTimeOffset Instant()
    {
        var ticks = Int64();
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new PeerProtocolException($"An instant field holds {ticks} ticks.");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public TimeSpan Duration()
    {
        var ticks = Int64();
        if (ticks < 0)
        {
            throw new PeerProtocolException($"A duration field is negative ({ticks} ticks).");
        }

        return new TimeSpan(ticks);
    }

    /// <summary>A UTF-8 string of at most <paramref name="maxBytes"/> bytes; invalid UTF-8 is refused.</summary>
    public string String(int maxBytes, string what)
    {
        var length = UInt16();
        if (length > maxBytes)
        {
            throw new PeerProtocolException($"{what}: {length} bytes exceed the bound of {maxBytes}.");
        }

        try
        {
            return StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException ex)
        {
            throw new PeerProtocolException($"{what}: not UTF-8.", ex);
        }
    }

    public string? NullableString(int maxBytes, string what) => Bool() ? String(maxBytes, what) : null;

    /// <summary>A byte string of at most <paramref name="maxBytes"/> bytes, copied out.</summary>
    public byte[] Bytes(int maxBytes, string what)
    {
        var length = Int32();
        if (length < 0 || length > maxBytes)
        {
            throw new PeerProtocolException($"{what}: {length} bytes are outside 0..{maxBytes}.");
        }

        return Take(length).ToArray();
    }

    /// <summary>Fails unless every byte was read: trailing bytes mean the two sides disagree on the format.</summary>
    public readonly void End()
    {
        if (_rest.Length != 0)
        {
            throw new PeerProtocolException($"{_rest.Length} unexpected bytes after the last field.");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            throw new PeerProtocolException($"The message ends early: {count} bytes needed, {_rest.Length} left.");
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
