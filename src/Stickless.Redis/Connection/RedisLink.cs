using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>
/// One multiplexer as the store uses it: the database, whether Stickless owns it, when it last answered (for
/// the timeout model), whether it talks to a Redis Cluster, and whether every server is recent enough.
/// </summary>
internal sealed class RedisLink
{
    private readonly TimeProvider _time;
    private long _lastReply;
    private int _cluster; // 0 unknown, 1 standalone or Sentinel, 2 Cluster
    private string? _incompatible;

    public RedisLink(IConnectionMultiplexer multiplexer, bool owned, TimeProvider time)
    {
        Multiplexer = multiplexer;
        Database = multiplexer.GetDatabase();
        Owned = owned;
        _time = time;
        Opened = time.GetTimestamp();
        _lastReply = Opened;
    }

    public IConnectionMultiplexer Multiplexer { get; }

    public IDatabase Database { get; }

    /// <summary>True when Stickless opened the multiplexer (and so may close and replace it).</summary>
    public bool Owned { get; }

    /// <summary>When the link was made (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long Opened { get; }

    /// <summary>Why the servers cannot be used (a version below the minimum), once a check found one.</summary>
    public string? Incompatible => Volatile.Read(ref _incompatible);

    /// <summary>How long ago a command of the store last got a reply on this link (or the link was made).</summary>
    public TimeSpan SinceLastReply => _time.GetElapsedTime(Interlocked.Read(ref _lastReply));

    public void OnReply() => Interlocked.Exchange(ref _lastReply, _time.GetTimestamp());

    /// <summary>True when StackExchange.Redis reports a connected master (or Cluster primary) on this link.</summary>
    public bool MasterLooksConnected() =>
        Array.Exists(Multiplexer.GetServers(), s => s.IsConnected && !s.IsReplica && s.ServerType != ServerType.Sentinel);

    /// <summary>True when nothing answered on this link since <paramref name="timestamp"/> (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public bool SilentSince(long timestamp) => Interlocked.Read(ref _lastReply) <= timestamp;

    public void MarkIncompatible(string reason) => Volatile.Write(ref _incompatible, reason);

    /// <summary>
    /// True for a Redis Cluster, false for a standalone server or Sentinel's master, null while no server is
    /// connected (the kind is not known yet). Decided once, at the first connected look.
    /// </summary>
    public bool? IsCluster
    {
        get
        {
            var known = Volatile.Read(ref _cluster);
            if (known != 0)
            {
                return known == 2;
            }

            if (!Multiplexer.IsConnected)
            {
                return null;
            }

            var servers = Multiplexer.GetServers();
            var connected = Array.FindAll(servers, s => s.IsConnected && s.ServerType != ServerType.Sentinel);
            if (connected.Length == 0)
            {
                return null;
            }

            var cluster = Array.Exists(connected, s => s.ServerType == ServerType.Cluster);
            Volatile.Write(ref _cluster, cluster ? 2 : 1);
            return cluster;
        }
    }
}
