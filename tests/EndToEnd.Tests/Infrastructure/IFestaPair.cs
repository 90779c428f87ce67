namespace EndToEnd.Tests.Infrastructure;

/// <summary>Two Festa nodes that share sessions through one store (a Redis, a memcached ring, each other as replication peers).</summary>
public interface IFestaPair
{
    /// <summary>The first node.</summary>
    FestaNode A { get; }

    /// <summary>The second node.</summary>
    FestaNode B { get; }

    /// <summary>
    /// How long a change made on one node may stay unseen on the other: zero when every request reads the store, the
    /// near cache's bound (its MaxStaleness; in practice the invalidation's delay) when the nodes keep copies.
    /// </summary>
    TimeSpan ChangeVisibleWithin => TimeSpan.Zero;
}
