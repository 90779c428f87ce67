using Stickless;

namespace Festa;

/// <summary>
/// Registers every session store Festa can run on; <c>Stickless:Store</c> picks one of them at start.
/// One line per store package keeps Program.cs unchanged when a store is added.
/// </summary>
public static class FestaStores
{
    /// <summary>Adds the stores Festa ships with to <paramref name="options"/>.</summary>
    public static void Register(SticklessOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);

        // InMemory is built into Stickless and registered by AddStickless.
        // Other stores go here, one line each, reading their section of `configuration`.
        options.AddRedis(); // Stickless:Store=Redis, Stickless:Redis:Configuration=host:port[,password=…]
        options.AddReplication(); // Stickless:Store=Replication, Stickless:Replication:{NodeId, Peers:N:NodeId, Peers:N:Url, Secret, Mode}
    }
}
