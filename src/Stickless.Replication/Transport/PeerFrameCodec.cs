using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Stickless.Replication.Membership;

namespace Stickless.Replication.Transport;

/// <summary>
/// The peer frame: a header, the body, and an HMAC-SHA256 tag over both with the cluster's shared secret.
/// </summary>
/// <remarks>
/// <para>Layout (integers little-endian), revision 1:</para>
/// <code>
/// u8  version (1)            u8  type            u8  flags (bit 0: response; others 0)
/// u8  sender id length (1..64)   sender id (ASCII)   u64 sender incarnation
/// u8  recipient id length (1..64) recipient id (ASCII)
/// i64 sent at (unix ms)      u64 sequence        i32 body length (0..max)   body
/// 32 bytes HMAC-SHA256(key, every byte above)
/// </code>
/// <para>
/// The key is HKDF-SHA256 of the secret, so the secret never keys anything else. The tag is checked (in constant
/// time) before any field but the lengths is trusted. The recipient id binds a frame to one node, the timestamp
/// bounds how long a captured frame stays usable, and the sequence (with <see cref="ReplayWindow"/>) refuses a
/// request seen before.
/// </para>
/// </remarks>
internal sealed class PeerFrameCodec
{
    /// <summary>The frame revision this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>The size of the tag.</summary>
    public const int TagLength = 32;

    private const int FixedHeaderBytes = 3 + 1 + 8 + 1 + 8 + 8 + 4;
    private static readonly byte[] KeyInfo = "stickless peer frame v1"u8.ToArray();

    private readonly byte[] _key;

    /// <summary>Creates a codec keyed with <paramref name="secret"/>.</summary>
    /// <param name="secret">The cluster's shared secret.</param>
    /// <param name="maxFrameBytes">The largest frame accepted or written.</param>
    public PeerFrameCodec(string secret, int maxFrameBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: null, info: KeyInfo);
        MaxFrameBytes = maxFrameBytes;
    }

    /// <summary>The largest frame accepted or written.</summary>
    public int MaxFrameBytes { get; }

    /// <summary>The smallest possible frame (empty ids are impossible, so this is a floor, not a valid frame).</summary>
    public static int MinFrameBytes => FixedHeaderBytes + 2 + TagLength;

    /// <summary>Builds a tagged frame.</summary>
    /// <exception cref="PeerProtocolException">The frame would exceed <see cref="MaxFrameBytes"/>, or an id is invalid.</exception>
    public byte[] Encode(PeerMessageType type, bool isResponse, string sender, ulong incarnation, string recipient, DateTimeOffset sentAt, ulong sequence, ReadOnlySpan<byte> body)
    {
        if (!NodeIds.IsValid(sender) || !NodeIds.IsValid(recipient))
        {
            throw new PeerProtocolException("Node ids must be 1 to 64 characters of A-Z a-z 0-9 . _ -.");
        }

        var total = FixedHeaderBytes + sender.Length + recipient.Length + body.Length + TagLength;
        if (total > MaxFrameBytes)
        {
            throw new PeerProtocolException($"A {type} message of {total} bytes exceeds the limit of {MaxFrameBytes} bytes.");
        }

        var frame = new byte[total];
        var span = frame.AsSpan();
        var at = 0;
        span[at++] = Version;
        span[at++] = (byte)type;
        span[at++] = isResponse ? (byte)1 : (byte)0;
        span[at++] = (byte)sender.Length;
        at += Encoding.ASCII.GetBytes(sender, span[at..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], incarnation);
        at += 8;
        span[at++] = (byte)recipient.Length;
        at += Encoding.ASCII.GetBytes(recipient, span[at..]);
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], sentAt.ToUnixTimeMilliseconds());
        at += 8;
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], sequence);
        at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], body.Length);
        at += 4;
        body.CopyTo(span[at..]);
        at += body.Length;
        HMACSHA256.HashData(_key, span[..at], span[at..]);
        return frame;
    }

    /// <summary>Checks the tag and the header of <paramref name="frame"/> and returns its fields.</summary>
    /// <exception cref="PeerProtocolException">Too short or too long, a bad tag, an unknown version or flag, or inconsistent lengths.</exception>
    public PeerFrame Decode(ReadOnlyMemory<byte> frame)
    {
        var span = frame.Span;
        if (span.Length < MinFrameBytes)
        {
            throw new PeerProtocolException($"A frame of {span.Length} bytes is shorter than the smallest frame ({MinFrameBytes}).");
        }

        if (span.Length > MaxFrameBytes)
        {
            throw new PeerProtocolException($"A frame of {span.Length} bytes exceeds the limit of {MaxFrameBytes} bytes.");
        }

        var signed = span[..^TagLength];
        Span<byte> expected = stackalloc byte[TagLength];
        HMACSHA256.HashData(_key, signed, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, span[^TagLength..]))
        {
            throw new PeerProtocolException("The frame's authentication tag is wrong (another secret, or altered on the way).");
        }

        var reader = new PeerReader(signed);
        var version = reader.Byte();
        if (version != Version)
        {
            throw new PeerProtocolException($"Frame revision {version} is not {Version}.");
        }

        var type = (PeerMessageType)reader.Byte();
        if (!Enum.IsDefined(type))
        {
            throw new PeerProtocolException($"Unknown message type {(byte)type}.");
        }

        var flags = reader.Byte();
        if ((flags & ~1) != 0)
        {
            throw new PeerProtocolException($"Unknown frame flags {flags}.");
        }

        var sender = ReadNodeId(ref reader, "sender");
        var incarnation = reader.UInt64();
        var recipient = ReadNodeId(ref reader, "recipient");
        var sentMs = reader.Int64();
        if (sentMs < 0 || sentMs > 253_402_300_799_999)
        {
            throw new PeerProtocolException($"Timestamp {sentMs} is out of range.");
        }

        var sequence = reader.UInt64();
        var bodyLength = reader.Int32();
        if (bodyLength != reader.Remaining)
        {
            throw new PeerProtocolException($"The body length field says {bodyLength} bytes but {reader.Remaining} follow.");
        }

        var bodyStart = signed.Length - bodyLength;
        return new PeerFrame(type, (flags & 1) != 0, sender, incarnation, recipient,
            DateTimeOffset.FromUnixTimeMilliseconds(sentMs), sequence, frame.Slice(bodyStart, bodyLength), span.Length);
    }

    private static string ReadNodeId(ref PeerReader reader, string what)
    {
        var length = reader.Byte();
        if (length is 0 or > NodeIds.MaxLength)
        {
            throw new PeerProtocolException($"The {what} id is {length} bytes long.");
        }

        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)reader.Byte();
        }

        if (!NodeIds.IsValid(chars))
        {
            throw new PeerProtocolException($"The {what} id holds characters outside A-Z a-z 0-9 . _ -.");
        }

        return new string(chars);
    }
}
