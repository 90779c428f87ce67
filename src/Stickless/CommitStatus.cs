namespace Stickless;

/// <summary>How a store answered a <see cref="SessionChangeSet"/>.</summary>
public enum CommitStatus
{
    /// <summary>Every change was applied.</summary>
    Committed,

    /// <summary>The session does not exist (deleted, expired, or never created); nothing was written.</summary>
    NotFound,

    /// <summary>At least one compare-and-set found another version; nothing was written.</summary>
    Conflict,

    /// <summary>A create found the id taken; nothing was written.</summary>
    AlreadyExists,
}
