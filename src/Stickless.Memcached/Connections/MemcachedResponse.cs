using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

/// <summary>A reply as handed to its caller: the parsed flags and a copy of the value (the wire buffer is gone by then).</summary>
internal readonly record struct MemcachedResponse(MetaStatus Status, byte[]? Value, ulong Cas, uint ClientFlags, int? Ttl, MetaReplyMarks Marks, string? Text);
