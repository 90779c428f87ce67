using Stickless.Redis.Connections;

namespace Stickless.Redis;

/// <summary>
/// The scripts only Redis Cluster needs (Scripts/cluster-*.lua): each touches keys of one slot. Load and
/// commit share <see cref="RedisSessionScripts"/> with standalone Redis (commit with the flag <c>x</c>).
/// </summary>
internal static class RedisClusterSessionScripts
{
    public static RedisScript Delete { get; } = new(RedisSessionScripts.Read("cluster-delete.lua"));

    public static RedisScript Adopt { get; } = new(RedisSessionScripts.Read("cluster-adopt.lua"));

    public static RedisScript Finish { get; } = new(RedisSessionScripts.Read("cluster-finish.lua"));

    public static RedisScript Due { get; } = new(RedisSessionScripts.Read("cluster-due.lua"));

    public static RedisScript IndexAdd { get; } = new(RedisSessionScripts.Read("cluster-index-add.lua"));
}
