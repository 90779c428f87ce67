namespace Stickless.Memcached;

/// <summary>An item as read: what it holds, where it was read, its CAS token there and its remaining TTL.</summary>
internal sealed record SessionRead(SessionItem Item, SessionCopy Where, ulong Cas, int Ttl);
