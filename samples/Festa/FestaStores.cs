namespace Festa;

/// <summary>
/// Registers every session store Festa can run on; <c>Stickless:Store</c> picks one of them at start.
/// One line per store package keeps Program.cs unchanged when a store is added.
/// </summary>
public static class FestaStores
{
    /// <summary>Adds the stores Festa ships with to <paramref name="stickless"/>.</summary>
    public static ISticklessBuilder Register(ISticklessBuilder stickless)
    {
        ArgumentNullException.ThrowIfNull(stickless);

        // InMemory is built into Stickless and registered by AddStickless.
        // Other stores go here, one line each; each reads its own subsection of the Stickless section.
        stickless.AddRedis(); // Stickless:Store=Redis, Stickless:Redis:Configuration=host:port[,password=…]
        stickless.AddMemcached(); // Stickless:Store=Memcached, Stickless:Memcached:Servers:0=host:port[ weight][ name], Backup, HashKey
        return stickless;
    }
}
