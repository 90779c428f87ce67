namespace Stickless.Memcached.Protocol;

/// <summary>The single-letter return flags without a token that a meta reply may carry.</summary>
[Flags]
internal enum MetaReplyMarks
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>W</c>: this client won the right to recache (stampede protection; the store never asks for it).</summary>
    Won = 1,

    /// <summary><c>X</c>: the item is stale (marked by <c>md I</c>); the store treats it as deleted.</summary>
    Stale = 2,

    /// <summary><c>Z</c>: another client already won.</summary>
    AlreadyWon = 4,
}
