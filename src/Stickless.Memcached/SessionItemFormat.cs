using System.Buffers.Binary;
using System.Text;

namespace Stickless.Memcached;

/// <summary>
/// The binary value of every item the store writes. No type names, no serializer: a fixed layout read with bounds
/// checks, so a corrupted or foreign item decodes to null (a fresh session), never to an exception or another
/// session's data.
/// </summary>
/// <remarks>
/// <para>Revision 1 (byte 2). All integers little-endian; times are Unix milliseconds.</para>
/// <code>
/// 0   'S' 'L'                 magic
/// 2   u8  revision = 1
/// 3   u8  kind                1 session | 2 tombstone | 3 alias | 4 index
/// 4   u64 sequence            +1 on every write of the item (its client flags carry the low 31 bits)
/// session:
/// 12  i64 createdAt
/// 20  i64 lastAccessedAt
/// 28  i64 absoluteExpiry
/// 36  i64 idleTimeout (ms)
/// 44  i64 lastVersion
/// 52  i32 principal length (-1: none), then its UTF-8 bytes
///     i32 attribute count, then per attribute:
///         u16 name length, UTF-8 name, i64 version, i32 value length, value bytes
/// tombstone:
/// 12  i64 deletedAt
/// alias:
/// 12  i64 until               the grace ends
/// 20  i32 length, sealed successor id (AES-GCM: nonce | tag | ciphertext)
/// index:
/// 12  i32 length, sealed ids (one per line)
/// </code>
/// </remarks>
internal static class SessionItemFormat
{
    public const byte Revision = 1;

    public static byte[] EncodeSession(StoredSession session, ulong sequence)
    {
        var principal = session.Principal is null ? null : Encoding.UTF8.GetBytes(session.Principal);
        var size = 52 + 4 + (principal?.Length ?? 0) + 4;
        foreach (var (name, attribute) in session.Attributes)
        {
            size += 2 + Encoding.UTF8.GetByteCount(name) + 8 + 4 + attribute.Value.Length;
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        WriteHeader(span, SessionItemKind.Session, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], session.CreatedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], session.LastAccessedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], session.AbsoluteExpiry.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[36..], (long)session.IdleTimeout.TotalMilliseconds);
        BinaryPrimitives.WriteInt64LittleEndian(span[44..], session.LastVersion);
        var offset = 52;
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], principal?.Length ?? -1);
        offset += 4;
        if (principal is not null)
        {
            principal.CopyTo(span[offset..]);
            offset += principal.Length;
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], session.Attributes.Count);
        offset += 4;
        foreach (var (name, attribute) in session.Attributes)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(offset + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], checked((ushort)nameLength));
            offset += 2 + nameLength;
            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], attribute.Version);
            offset += 8;
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], attribute.Value.Length);
            offset += 4;
            attribute.Value.Span.CopyTo(span[offset..]);
            offset += attribute.Value.Length;
        }

        return buffer;
    }

    public static byte[] EncodeTombstone(DateTimeOffset deletedAt, ulong sequence)
    {
        var buffer = new byte[20];
        WriteHeader(buffer, SessionItemKind.Tombstone, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(12), deletedAt.ToUnixTimeMilliseconds());
        return buffer;
    }

    public static byte[] EncodeAlias(DateTimeOffset until, byte[] sealedSuccessor, ulong sequence)
    {
        var buffer = new byte[24 + sealedSuccessor.Length];
        WriteHeader(buffer, SessionItemKind.Alias, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(12), until.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(20), sealedSuccessor.Length);
        sealedSuccessor.CopyTo(buffer.AsSpan(24));
        return buffer;
    }

    public static byte[] EncodeIndex(byte[] sealedIds, ulong sequence)
    {
        var buffer = new byte[16 + sealedIds.Length];
        WriteHeader(buffer, SessionItemKind.Index, sequence);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(12), sealedIds.Length);
        sealedIds.CopyTo(buffer.AsSpan(16));
        return buffer;
    }

    /// <summary>Decodes an item; null when it is not a revision-1 item of this store or does not hold together.</summary>
    /// <param name="value">The item's bytes.</param>
    /// <param name="sessionId">The id the item was read for (a session item does not store it).</param>
    public static SessionItem? TryDecode(ReadOnlySpan<byte> value, string sessionId)
    {
        if (value.Length < 12 || value[0] != (byte)'S' || value[1] != (byte)'L' || value[2] != Revision)
        {
            return null;
        }

        var kind = (SessionItemKind)value[3];
        var sequence = BinaryPrimitives.ReadUInt64LittleEndian(value[4..]);
        var reader = new Reader(value[12..]);
        try
        {
            switch (kind)
            {
                case SessionItemKind.Session:
                    var created = reader.Time();
                    var lastAccessed = reader.Time();
                    var absolute = reader.Time();
                    var idle = TimeSpan.FromMilliseconds(reader.Int64());
                    var lastVersion = reader.Int64();
                    var principalLength = reader.Int32();
                    var principal = principalLength == -1 ? null : Encoding.UTF8.GetString(reader.Bytes(principalLength));
                    var count = reader.Int32();
                    if (count < 0 || count > value.Length)
                    {
                        return null;
                    }

                    var attributes = new Dictionary<string, SessionAttribute>(count, StringComparer.Ordinal);
                    for (var i = 0; i < count; i++)
                    {
                        var name = Encoding.UTF8.GetString(reader.Bytes(reader.UInt16()));
                        var version = reader.Int64();
                        var bytes = reader.Bytes(reader.Int32()).ToArray();
                        attributes[name] = new SessionAttribute(bytes, version);
                    }

                    if (!reader.AtEnd || idle <= TimeSpan.Zero)
                    {
                        return null;
                    }

                    return new SessionItem(kind, sequence, new StoredSession
                    {
                        Id = sessionId,
                        CreatedAt = created,
                        LastAccessedAt = lastAccessed,
                        AbsoluteExpiry = absolute,
                        IdleTimeout = idle,
                        Principal = principal,
                        Attributes = attributes.AsReadOnly(),
                        LastVersion = lastVersion,
                    }, default, null);
                case SessionItemKind.Tombstone:
                    return new SessionItem(kind, sequence, null, reader.Time(), null);
                case SessionItemKind.Alias:
                    var until = reader.Time();
                    return new SessionItem(kind, sequence, null, until, reader.Bytes(reader.Int32()).ToArray());
                case SessionItemKind.Index:
                    return new SessionItem(kind, sequence, null, default, reader.Bytes(reader.Int32()).ToArray());
                default:
                    return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void WriteHeader(Span<byte> span, SessionItemKind kind, ulong sequence)
    {
        span[0] = (byte)'S';
        span[1] = (byte)'L';
        span[2] = Revision;
        span[3] = (byte)kind;
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], sequence);
    }

    /// <summary>Reads fields, throwing <see cref="FormatException"/> at the first that runs past the end.</summary>
    private ref struct Reader(ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public readonly bool AtEnd => _rest.IsEmpty;

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public DateTimeOffset Time()
        {
            var ms = Int64();
            if (ms < -62_135_596_800_000 || ms > 253_402_300_799_999)
            {
                throw new FormatException("A time is out of range.");
            }

            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        public ReadOnlySpan<byte> Bytes(int length) => length < 0 ? throw new FormatException("A negative length.") : Take(length);

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _rest.Length)
            {
                throw new FormatException("A field runs past the end of the item.");
            }

            var taken = _rest[..length];
            _rest = _rest[length..];
            return taken;
        }
    }
}
