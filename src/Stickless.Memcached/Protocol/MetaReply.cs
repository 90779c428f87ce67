using System.Buffers;

namespace Stickless.Memcached.Protocol;

/// <summary>
/// One parsed reply. <see cref="Data"/> is a slice of the reader's buffer and is valid only until the buffer
/// is advanced: copy what you keep.
/// </summary>
internal readonly struct MetaReply
{
    /// <summary>The reply's kind.</summary>
    public MetaStatus Status { get; init; }

    /// <summary>
    /// The value block after <c>VA</c>; the message of <c>CLIENT_ERROR</c>, <c>SERVER_ERROR</c> and
    /// <c>VERSION</c>; the <c>STAT</c> lines (without <c>END</c>) of a stats reply. Empty otherwise.
    /// </summary>
    public ReadOnlySequence<byte> Data { get; init; }

    /// <summary>The item's CAS token (return flag <c>c</c>), when present.</summary>
    public ulong? Cas { get; init; }

    /// <summary>The item's client flags (return flag <c>f</c>), when present.</summary>
    public uint? ClientFlags { get; init; }

    /// <summary>The item's remaining time to live in seconds, -1 for none (return flag <c>t</c>), when present.</summary>
    public int? Ttl { get; init; }

    /// <summary>The request's opaque token echoed back (return flag <c>O</c>), when present.</summary>
    public uint? Opaque { get; init; }

    /// <summary>The token-less flags <c>W</c>, <c>X</c>, <c>Z</c>.</summary>
    public MetaReplyMarks Marks { get; init; }

    /// <summary>True for <c>ERROR</c>, <c>CLIENT_ERROR</c> and <c>SERVER_ERROR</c>.</summary>
    public bool IsError => Status is MetaStatus.Error or MetaStatus.ClientError or MetaStatus.ServerError;
}
