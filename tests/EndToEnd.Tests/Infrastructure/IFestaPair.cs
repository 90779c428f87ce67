namespace EndToEnd.Tests.Infrastructure;

/// <summary>Two Festa nodes that share sessions through one store (a Redis, a memcached ring, each other as replication peers).</summary>
public interface IFestaPair
{
    /// <summary>The first node.</summary>
    FestaNode A { get; }

    /// <summary>The second node.</summary>
    FestaNode B { get; }
}
