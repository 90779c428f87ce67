namespace Stickless.Lab.Deployment;

/// <summary>A program the lab runs and the Debian/Ubuntu package that provides it.</summary>
/// <param name="Executable">The program, found on PATH.</param>
/// <param name="AptPackage">The apt package to install when it is missing.</param>
internal sealed record LabTool(string Executable, string AptPackage)
{
    /// <summary>HAProxy, in front of every deployment.</summary>
    public static LabTool Haproxy { get; } = new("haproxy", "haproxy");

    /// <summary>The Redis server.</summary>
    public static LabTool RedisServer { get; } = new("redis-server", "redis-server");

    /// <summary>Redis Sentinel, which watches a master and promotes a replica when it fails (redis-ha).</summary>
    public static LabTool RedisSentinel { get; } = new("redis-sentinel", "redis-sentinel");

    /// <summary>Node.js, which runs the express peer.</summary>
    public static LabTool Node { get; } = new("node", "nodejs");

    /// <summary>npm, which installs the express peer's packages.</summary>
    public static LabTool Npm { get; } = new("npm", "npm");

    /// <summary>The full path of the program, or null when it is not on PATH.</summary>
    public string? Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(directory, Executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
