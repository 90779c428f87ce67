using Stickless.Memcached.Connections;

namespace Stickless.Memcached;

/// <summary>One place a session's item lives: its primary key on the owner node, or its backup key on the next node.</summary>
internal readonly record struct SessionCopy(MemcachedNode Node, byte[] Key, bool IsPrimary);
