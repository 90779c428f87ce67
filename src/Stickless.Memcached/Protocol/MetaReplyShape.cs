namespace Stickless.Memcached.Protocol;

/// <summary>
/// What a request's reply looks like, so the reader knows where it ends: a meta reply is one line (plus a
/// value block after <c>VA</c>); <c>stats</c> is many lines ended by <c>END</c>; <c>version</c> and
/// <c>flush_all</c> are one line. Any of them may instead be an error line.
/// </summary>
public enum MetaReplyShape
{
    /// <summary><c>mg</c>, <c>ms</c>, <c>md</c>, <c>mn</c>.</summary>
    Meta,

    /// <summary><c>stats</c>, <c>stats settings</c>.</summary>
    Stats,

    /// <summary><c>version</c>.</summary>
    Version,

    /// <summary><c>flush_all</c>.</summary>
    Ok,
}
