using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication.Tests.Transport;

public sealed class PeerReaderTests
{
    private static byte[] ChangeSetBytes(Action<PeerWriter>? tail = null)
    {
        var writer = new PeerWriter();
        ReplicaWire.ChangeSet(writer, new SessionChangeSet
        {
            SessionId = "id-1",
            Now = DateTimeOffset.UnixEpoch,
            Touch = true,
            Attributes = new Dictionary<string, AttributeChange> { ["cart"] = AttributeChange.Set(new byte[] { 1, 2 }, 3), ["gone"] = AttributeChange.Remove() },
        });
        tail?.Invoke(writer);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void ChangeSet_RoundTrip_KeepsEveryField()
    {
        var bytes = ChangeSetBytes();
        var reader = new PeerReader(bytes);
        var changes = ReplicaWire.ChangeSet(ref reader, 1024);
        reader.End();

        Assert.Equal("id-1", changes.SessionId);
        Assert.True(changes.Touch);
        Assert.Equal(3L, changes.Attributes["cart"].ExpectedVersion);
        Assert.Equal([1, 2], changes.Attributes["cart"].Value.ToArray());
        Assert.True(changes.Attributes["gone"].IsRemoval);
    }

    public static TheoryData<string, Func<byte[], byte[]>> Malformed => new()
    {
        // Why each is refused:
        { "cut in the middle of a field", b => b[..(b.Length / 2)] },
        { "trailing bytes after the last field", b => [.. b, 0] },
        { "a boolean field holding 2", b => { var c = (byte[])b.Clone(); c[6] = 2; return c; } },
        { "a session id longer than its bound (length prefix 0xFFFF)", b => { var c = (byte[])b.Clone(); c[0] = 0xFF; c[1] = 0xFF; return c; } },
        { "an empty session id", b => [0, 0, .. b[6..]] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void ChangeSet_MalformedBody_ThrowsProtocolException(string why, Func<byte[], byte[]> spoil)
    {
        Assert.NotNull(why);
        var bytes = spoil(ChangeSetBytes());
        Assert.Throws<PeerProtocolException>(() =>
        {
            var reader = new PeerReader(bytes);
            ReplicaWire.ChangeSet(ref reader, 1024);
            reader.End();
        });
    }

    [Fact]
    public void Bytes_LengthAboveBound_Throws()
    {
        var writer = new PeerWriter();
        writer.Bytes(new byte[2048]);
        var bytes = writer.WrittenSpan.ToArray();

        Assert.Throws<PeerProtocolException>(() => new PeerReader(bytes).Bytes(1024, "value"));
    }

    [Fact]
    public void String_InvalidUtf8_Throws()
    {
        byte[] bytes = [2, 0, 0xC3, 0x28];

        Assert.Throws<PeerProtocolException>(() => new PeerReader(bytes).String(16, "name"));
    }

    [Fact]
    public void Count_Negative_Throws()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Throws<PeerProtocolException>(() => new PeerReader(bytes).Count(10, "count"));
    }
}
