using System.Globalization;

namespace Stickless.Memcached.Connections;

/// <summary>Parses the <c>STAT &lt;name&gt; &lt;value&gt;</c> lines of a stats reply.</summary>
internal static class MemcachedStats
{
    public static Dictionary<string, string> Parse(string? text)
    {
        var stats = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            return stats;
        }

        foreach (var line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3)
            {
                stats[parts[1]] = parts[2];
            }
        }

        return stats;
    }

    public static long GetInt64(IReadOnlyDictionary<string, string> stats, string name, long fallback = 0) =>
        stats.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>Reads a version like <c>1.6.18</c> (ignoring any suffix after the numbers).</summary>
    public static bool TryParseVersion(string text, out Version version)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        var numeric = text[..end].Split('.');
        if (numeric.Length >= 3
            && int.TryParse(numeric[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(numeric[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            && int.TryParse(numeric[2], NumberStyles.None, CultureInfo.InvariantCulture, out var patch))
        {
            version = new Version(major, minor, patch);
            return true;
        }

        version = new Version();
        return false;
    }
}
