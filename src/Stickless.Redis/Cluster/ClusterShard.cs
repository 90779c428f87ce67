using Stickless.Redis.Connections;

namespace Stickless.Redis.Cluster;

/// <summary>One range of slots, as <c>CLUSTER SLOTS</c> lists it: the master that serves it and its replicas.</summary>
/// <param name="Start">The first slot of the range.</param>
/// <param name="End">The last slot of the range (inclusive).</param>
/// <param name="Master">The master that owns the range.</param>
/// <param name="Replicas">Its replicas (never sent commands: this client reads and writes on masters only).</param>
internal sealed record ClusterShard(int Start, int End, RedisEndpoint Master, IReadOnlyList<RedisEndpoint> Replicas);
