using System.Buffers.Binary;
using Stickless.Replication.Transport;

namespace Stickless.Replication.Tests.Transport;

public sealed class PeerFrameCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PeerFrameCodec _codec = new("a-shared-secret-of-16+", 64 * 1024);

    private byte[] Good(byte[]? body = null) => _codec.Encode(PeerMessageType.Ping, false, "node1", 42, "node2", At, 7, body ?? [2]);

    [Fact]
    public void Decode_FrameItEncoded_ReturnsEveryField()
    {
        var frame = _codec.Decode(Good([1, 2, 3]));

        Assert.Equal(PeerMessageType.Ping, frame.Type);
        Assert.False(frame.IsResponse);
        Assert.Equal("node1", frame.Sender);
        Assert.Equal(42UL, frame.SenderIncarnation);
        Assert.Equal("node2", frame.Recipient);
        Assert.Equal(At, frame.SentAt);
        Assert.Equal(7UL, frame.Sequence);
        Assert.Equal([1, 2, 3], frame.Body.ToArray());
    }

    [Fact]
    public void Decode_EmptyBody_IsAccepted() => Assert.Equal(0, _codec.Decode(Good([])).Body.Length);

    public static TheoryData<string, Func<byte[], byte[]>> Malformed => new()
    {
        // Why each is refused:
        { "a body byte flipped: the tag no longer matches", f => Flip(f, f.Length - 40) },
        { "the tag itself altered", f => Flip(f, f.Length - 1) },
        { "truncated by one byte: the tag is computed over other bytes", f => f[..^1] },
        { "a byte appended after the tag", f => [.. f, 0] },
        { "shorter than the smallest possible frame", f => f[..10] },
        { "empty", _ => [] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_MalformedFrame_Throws(string why, Func<byte[], byte[]> spoil)
    {
        Assert.NotNull(why);
        Assert.Throws<PeerProtocolException>(() => _codec.Decode(spoil(Good([9, 9, 9, 9]))));
    }

    [Fact]
    public void Decode_FrameFromAnotherSecret_Throws()
    {
        var other = new PeerFrameCodec("another-secret-entirely", 64 * 1024);

        Assert.Throws<PeerProtocolException>(() => _codec.Decode(other.Encode(PeerMessageType.Ping, false, "node1", 1, "node2", At, 1, [2])));
    }

    public static TheoryData<string, int, byte> HeaderEdits => new()
    {
        // (why, offset in the frame, new value), re-tagged so only the header rule can refuse it:
        { "an unknown frame revision", 0, 9 },
        { "an unknown message type", 1, 99 },
        { "an unknown flag bit", 2, 4 },
        { "a sender id of length 0", 3, 0 },
        { "a sender id longer than the frame says", 3, 200 },
        { "a sender id with a character outside the id alphabet", 4, (byte)'/' },
    };

    [Theory]
    [MemberData(nameof(HeaderEdits))]
    public void Decode_AuthenticFrameWithBadHeader_Throws(string why, int offset, byte value)
    {
        Assert.NotNull(why);
        var frame = Good([1]);
        frame[offset] = value;
        Assert.Throws<PeerProtocolException>(() => _codec.Decode(Retag(frame)));
    }

    [Fact]
    public void Decode_AuthenticFrameWhoseBodyLengthLies_Throws()
    {
        var frame = Good([1, 2, 3]);
        var lengthAt = frame.Length - PeerFrameCodec.TagLength - 3 - 4;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(lengthAt), 1000);

        Assert.Throws<PeerProtocolException>(() => _codec.Decode(Retag(frame)));
    }

    [Fact]
    public void Encode_BodyAboveTheLimit_Throws() =>
        Assert.Throws<PeerProtocolException>(() => _codec.Encode(PeerMessageType.Replicate, false, "a", 1, "b", At, 1, new byte[64 * 1024]));

    [Fact]
    public void Decode_FrameAboveTheLimit_ThrowsBeforeCheckingTheTag()
    {
        var big = new PeerFrameCodec("a-shared-secret-of-16+", 1024 * 1024).Encode(PeerMessageType.Replicate, false, "a", 1, "b", At, 1, new byte[100 * 1024]);

        var ex = Assert.Throws<PeerProtocolException>(() => _codec.Decode(big));
        Assert.Contains("exceeds", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Flip(byte[] frame, int at)
    {
        var copy = (byte[])frame.Clone();
        copy[at] ^= 0x40;
        return copy;
    }

    private static byte[] Retag(byte[] frame)
    {
        var key = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256,
            "a-shared-secret-of-16+"u8.ToArray(), 32, null, "stickless peer frame v1"u8.ToArray());
        System.Security.Cryptography.HMACSHA256.HashData(key, frame.AsSpan(0, frame.Length - 32), frame.AsSpan(frame.Length - 32));
        return frame;
    }
}
