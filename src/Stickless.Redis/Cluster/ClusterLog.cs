using Microsoft.Extensions.Logging;
using Stickless.Redis.Connections;

namespace Stickless.Redis.Cluster;

/// <summary>The cluster client's log messages; event ids 1200–1249 belong to it.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 1200, EventName = "RedisClusterTopology", Level = LogLevel.Information,
        Message = "Redis Cluster topology from {Source}: {Masters} masters, {Covered} of 16384 slots covered ({Shards}).")]
    public static partial void Topology(this ILogger logger, RedisEndpoint source, int masters, int covered, string shards);

    [LoggerMessage(EventId = 1201, EventName = "RedisClusterRefreshFailed", Level = LogLevel.Warning,
        Message = "No Redis Cluster node answered CLUSTER SLOTS ({Reason}); the slot map is unchanged.")]
    public static partial void RefreshFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 1202, EventName = "RedisClusterMoved", Level = LogLevel.Debug,
        Message = "Slot {Slot} moved to {Endpoint}.")]
    public static partial void Moved(this ILogger logger, int slot, RedisEndpoint endpoint);

    [LoggerMessage(EventId = 1203, EventName = "RedisClusterAsk", Level = LogLevel.Debug,
        Message = "Slot {Slot} is migrating: asking {Endpoint}.")]
    public static partial void Ask(this ILogger logger, int slot, RedisEndpoint endpoint);

    [LoggerMessage(EventId = 1204, EventName = "RedisClusterNodeDropped", Level = LogLevel.Information,
        Message = "Redis Cluster node {Endpoint} is no longer a master; its connection is closed.")]
    public static partial void NodeDropped(this ILogger logger, RedisEndpoint endpoint);

    [LoggerMessage(EventId = 1205, EventName = "RedisClusterSlotsAnswerMalformed", Level = LogLevel.Warning,
        Message = "Redis Cluster node {Endpoint} answered CLUSTER SLOTS with a malformed reply: {Error}.")]
    public static partial void SlotsMalformed(this ILogger logger, RedisEndpoint endpoint, string error);
}
