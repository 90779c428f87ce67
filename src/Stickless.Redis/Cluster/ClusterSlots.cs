namespace Stickless.Redis.Cluster;

/// <summary>
/// Redis Cluster's key → slot function: CRC16 (XMODEM: polynomial 0x1021, initial value 0, no reflection)
/// of the key, or of its hash tag, modulo 16384.
/// </summary>
/// <remarks>
/// The hash tag is what lies between the first <c>{</c> and the first <c>}</c> after it, when that is not
/// empty: <c>{user1000}.following</c> and <c>{user1000}.followers</c> share a slot; <c>foo{}{bar}</c> hashes
/// whole (the first tag is empty); <c>foo{{bar}}zap</c> hashes <c>{bar</c>. Session keys are
/// <c>&lt;prefix&gt;{&lt;id&gt;}</c>, so every key of one session is one slot.
/// </remarks>
internal static class ClusterSlots
{
    /// <summary>The number of slots in every Redis Cluster.</summary>
    public const int Count = 16384;

    private static readonly ushort[] Table = BuildTable();

    /// <summary>The slot of <paramref name="key"/>.</summary>
    public static int GetSlot(ReadOnlySpan<byte> key) => Crc16(HashPart(key)) & (Count - 1);

    /// <summary>CRC16-XMODEM of <paramref name="data"/> (the CRC16 the cluster specification names).</summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc = ((crc << 8) ^ Table[((crc >> 8) ^ b) & 0xFF]) & 0xFFFF;
        }

        return (ushort)crc;
    }

    /// <summary>The part of the key that is hashed: the hash tag when there is a non-empty one, else the whole key.</summary>
    public static ReadOnlySpan<byte> HashPart(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open < 0)
        {
            return key;
        }

        var close = key[(open + 1)..].IndexOf((byte)'}');
        return close <= 0 ? key : key.Slice(open + 1, close);
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = i << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }

            table[i] = (ushort)crc;
        }

        return table;
    }
}
