namespace Stickless.Lab.Deployment;

/// <summary>
/// How a lab redis-server keeps its data on disk (<c>--persistence</c>), so that a restart (<c>restart-store</c>) shows
/// what each setting loses and a bench what it costs. The lines go at the end of <c>redis.conf</c>, after the
/// "no persistence" defaults, and override them.
/// </summary>
/// <param name="Name">The name on the command line.</param>
/// <param name="Description">What it keeps, in a sentence.</param>
/// <param name="ConfigLines">The <c>redis.conf</c> lines.</param>
internal sealed record RedisPersistence(string Name, string Description, IReadOnlyList<string> ConfigLines)
{
    /// <summary>Nothing on disk (the lab's default): a restarted server starts empty.</summary>
    public static RedisPersistence None { get; } = new("none", "no persistence: a restarted server starts empty",
        ["save \"\"", "appendonly no"]);

    /// <summary>
    /// RDB snapshots every 10 s when anything changed (<c>save 10 1</c>): a restart loses what changed since the last one.
    /// Redis's own default (<c>save 3600 1 300 100 60 10000</c>) snapshots far less often; a short lab run would lose all.
    /// </summary>
    public static RedisPersistence Rdb { get; } = new("rdb", "an RDB snapshot every 10 s when anything changed (save 10 1)",
        ["save 10 1", "appendonly no"]);

    /// <summary>Append-only file, fsync once a second: a process crash loses nothing (the writes are in the kernel); a machine crash, up to 1 s.</summary>
    public static RedisPersistence AofEverysec { get; } = new("aof-everysec", "append-only file, fsync every second (appendfsync everysec)",
        ["save \"\"", "appendonly yes", "appendfsync everysec"]);

    /// <summary>Append-only file, fsync before every reply: nothing acknowledged is ever lost, at the cost of a disk flush per write batch.</summary>
    public static RedisPersistence AofAlways { get; } = new("aof-always", "append-only file, fsync before each reply (appendfsync always)",
        ["save \"\"", "appendonly yes", "appendfsync always"]);

    /// <summary>Every setting, from the cheapest to the safest.</summary>
    public static IReadOnlyList<RedisPersistence> All { get; } = [None, Rdb, AofEverysec, AofAlways];

    /// <summary>The names, for usage text.</summary>
    public static string Names => string.Join('|', All.Select(static p => p.Name));

    /// <summary>The setting called <paramref name="name"/> (case-insensitive), if there is one.</summary>
    public static bool TryParse(string name, out RedisPersistence persistence)
    {
        persistence = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return persistence is not null;
    }

    /// <summary>The lines to append to a <c>redis.conf</c>, with a comment saying why they are there.</summary>
    public IReadOnlyList<string> RedisConfLines => [$"# Persistence for this run: {Name} ({Description}); overrides the lines above.", .. ConfigLines];
}
