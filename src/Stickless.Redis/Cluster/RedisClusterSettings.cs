namespace Stickless.Redis.Cluster;

/// <summary>Timings of <see cref="RedisClusterClient"/> (defaults suit production; tests shorten them).</summary>
internal sealed class RedisClusterSettings
{
    /// <summary>How often the slot map is re-read even when nothing suggests a change. Default 30 s.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The least time between two refreshes asked for by events (MOVED, a lost node), so that a burst of
    /// redirections during a resharding costs one <c>CLUSTER SLOTS</c>, not one per command. Default 250 ms.
    /// </summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest one <c>CLUSTER SLOTS</c> may take on one node before the next is asked. Default 1 s.</summary>
    public TimeSpan RefreshTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most MOVED/ASK redirections one command follows. Default 5.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>The pause before retrying a command answered <c>TRYAGAIN</c> or <c>CLUSTERDOWN</c>. Default 50 ms.</summary>
    public TimeSpan TryAgainDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a command whose node is unreachable looks again for a new owner of its slot. Default 50 ms.</summary>
    public TimeSpan UnreachablePollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The defaults.</summary>
    public static RedisClusterSettings Default { get; } = new();
}
