using Stickless.Redis.Connections;

namespace Stickless.Redis;

/// <summary>The store's Lua scripts (embedded resources under Scripts/), one per operation, shared by every store instance.</summary>
internal static class RedisSessionScripts
{
    public static RedisScript Load { get; } = new(Read("load.lua"));

    public static RedisScript Commit { get; } = new(Read("commit.lua"));

    public static RedisScript Delete { get; } = new(Read("delete.lua"));

    public static RedisScript Sweep { get; } = new(Read("sweep.lua"));

    /// <summary>The text of one script.</summary>
    public static string Read(string fileName)
    {
        var name = "Stickless.Redis.Scripts." + fileName;
        using var stream = typeof(RedisSessionScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from {typeof(RedisSessionScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
