namespace Stickless.Memcached;

/// <summary>What a session key holds (byte 3 of the item).</summary>
internal enum SessionItemKind : byte
{
    /// <summary>A live session.</summary>
    Session = 1,

    /// <summary>A deleted session: a hit on it answers "gone" and is never followed to a backup copy, so a delete wins.</summary>
    Tombstone = 2,

    /// <summary>A rotated id within its grace: it names (sealed) the id the session was renamed to.</summary>
    Alias = 3,

    /// <summary>A principal's index: the (sealed) ids of its sessions.</summary>
    Index = 4,
}
