namespace Stickless.Memcached.Connections;

/// <summary>What the handshake learned about a server.</summary>
/// <param name="Version">The server's version string.</param>
/// <param name="ItemSizeMax">The largest item it stores (<c>stats settings</c> <c>item_size_max</c>).</param>
/// <param name="UptimeSeconds">Its uptime when the connection was made.</param>
/// <param name="ProcessId">Its process id (<c>stats</c> <c>pid</c>), 0 when not reported.</param>
internal sealed record MemcachedServerInfo(string Version, long ItemSizeMax, long UptimeSeconds, long ProcessId);
