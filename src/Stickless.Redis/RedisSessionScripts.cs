namespace Stickless.Redis;

/// <summary>The store's Lua scripts (embedded resources under Scripts/), one per operation, shared by every store instance.</summary>
internal static class RedisSessionScripts
{
    public static RedisSessionScript Load { get; } = Create("load.lua");

    public static RedisSessionScript Commit { get; } = Create("commit.lua");

    public static RedisSessionScript Delete { get; } = Create("delete.lua");

    /// <summary>The due members of the expiry index, or of one Cluster bucket.</summary>
    public static RedisSessionScript Due { get; } = Create("due.lua");

    public static RedisSessionScript Sweep { get; } = Create("sweep.lua");

    /// <summary>Redis Cluster only: delete on the session's slot alone.</summary>
    public static RedisSessionScript ClusterDelete { get; } = Create("cluster-delete.lua");

    /// <summary>Redis Cluster only: rotation step 2, on the new id's slot.</summary>
    public static RedisSessionScript ClusterAdopt { get; } = Create("cluster-adopt.lua");

    /// <summary>Redis Cluster only: rotation step 3, on the old id's slot.</summary>
    public static RedisSessionScript ClusterFinish { get; } = Create("cluster-finish.lua");

    /// <summary>Redis Cluster only: add an id to a per-user index (its own slot).</summary>
    public static RedisSessionScript ClusterIndexAdd { get; } = Create("cluster-index-add.lua");

    /// <summary>The text of one script.</summary>
    public static string Read(string fileName)
    {
        var name = "Stickless.Redis.Scripts." + fileName;
        using var stream = typeof(RedisSessionScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from {typeof(RedisSessionScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static RedisSessionScript Create(string fileName) => new(fileName, Read(fileName));
}
