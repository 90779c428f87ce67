namespace Stickless.Memcached;

/// <summary>A decoded item.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Sequence">The write sequence: every write of this session's item adds one (also the item's client flags).</param>
/// <param name="Session">For <see cref="SessionItemKind.Session"/>: the session.</param>
/// <param name="Until">For an alias: when it stops working; for a tombstone: when the session was deleted.</param>
/// <param name="Sealed">For an alias: the sealed successor id; for an index: the sealed list of ids.</param>
internal sealed record SessionItem(SessionItemKind Kind, ulong Sequence, StoredSession? Session, DateTimeOffset Until, byte[]? Sealed)
{
    /// <summary>The client flags of a tombstone or an alias: above every session's, so a backup write never replaces them.</summary>
    public const uint FinalFlags = uint.MaxValue;

    /// <summary>The client flags that carry <paramref name="sequence"/> (its low 31 bits; a session never writes 2^31 times).</summary>
    public static uint FlagsFor(ulong sequence) => (uint)(sequence & 0x7FFF_FFFF);
}
