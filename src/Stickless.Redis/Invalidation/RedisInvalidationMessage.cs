using System.Globalization;

namespace Stickless.Redis;

/// <summary>
/// A message on the invalidation channel, as the scripts and the store publish them:
/// <list type="bullet">
/// <item><c>&lt;id&gt;|&lt;seq&gt;</c>: the session was written, its write counter is now <c>seq</c> (decimal, at least 1);</item>
/// <item><c>&lt;id&gt;|d</c>: the id is dead (deleted, rotated away, frozen by a Cluster rotation);</item>
/// <item><c>~&lt;token&gt;</c>: a marker a store instance published to prove (or flush) its own subscription.</item>
/// </list>
/// </summary>
internal static class RedisInvalidationMessage
{
    /// <summary>What a message is.</summary>
    public enum Kind
    {
        /// <summary>Not a message of this channel's format.</summary>
        Malformed,

        /// <summary>A session was written or died.</summary>
        Invalidation,

        /// <summary>A store instance's marker.</summary>
        Marker,
    }

    /// <summary>The first character of a marker.</summary>
    public const char MarkerPrefix = '~';

    /// <summary>Reads <paramref name="text"/>.</summary>
    /// <param name="text">The message.</param>
    /// <param name="sessionId">The session, for an invalidation.</param>
    /// <param name="sequence">Its write counter, or <see cref="SessionInvalidation.Dead"/>.</param>
    public static Kind Parse(string? text, out string? sessionId, out long sequence)
    {
        sessionId = null;
        sequence = 0;
        if (string.IsNullOrEmpty(text))
        {
            return Kind.Malformed;
        }

        if (text[0] == MarkerPrefix)
        {
            return Kind.Marker;
        }

        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || bar == text.Length - 1)
        {
            return Kind.Malformed;
        }

        var id = text[..bar];
        var tail = text.AsSpan(bar + 1);
        if (!SessionIds.IsWellFormed(id))
        {
            return Kind.Malformed;
        }

        if (tail is "d")
        {
            sequence = SessionInvalidation.Dead;
        }
        else if (!long.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out sequence) || sequence < 1 || sequence == SessionInvalidation.Dead)
        {
            sequence = 0;
            return Kind.Malformed;
        }

        sessionId = id;
        return Kind.Invalidation;
    }
}
