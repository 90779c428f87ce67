using System.Globalization;

namespace Stickless.Redis.StoreBench;

/// <summary>The server's own count of commands (INFO commandstats), per command name.</summary>
internal static class CommandStats
{
    public static Dictionary<string, long> Read(RedisServerProcess server)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in server.Run("redis-cli", "INFO", "commandstats").Split('\n'))
        {
            // cmdstat_evalsha:calls=1,usec=…
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[8..colon];
            var value = line[(colon + 1)..].Split(',')[0];
            calls[name] = long.Parse(value["calls=".Length..], CultureInfo.InvariantCulture);
        }

        return calls;
    }

    public static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        var delta = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in after)
        {
            var d = count - before.GetValueOrDefault(name);
            if (d > 0)
            {
                delta[name] = d;
            }
        }

        return delta;
    }
}
