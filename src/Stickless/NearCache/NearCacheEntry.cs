namespace Stickless;

/// <summary>One session's copy in a <see cref="NearCacheSessionStore"/>: immutable but for when it was last used.</summary>
internal sealed class NearCacheEntry(SessionRecord record, long sequence, long validatedAt, long bytes)
{
    /// <summary>The copy, as a load returns it (not touched, not an alias).</summary>
    public SessionRecord Record { get; } = record;

    /// <summary>The session's write counter the copy is at.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>When the store last answered for this copy (a <see cref="TimeProvider"/> timestamp, taken before the call).</summary>
    public long ValidatedAt { get; } = validatedAt;

    /// <summary>The copy's estimated size.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>When a request last used the copy (a timestamp; written without a lock, read by the trim).</summary>
    public long LastUsed { get; set; } = validatedAt;
}
