using System.Globalization;

namespace Stickless.Lab.Deployment.Redis;

/// <summary>Reads Redis's <c>INFO</c> (<c>field:value</c> lines) and a few other answers the lab needs.</summary>
internal static class RedisInfo
{
    /// <summary>The fields of an <c>INFO</c> (or <c>CLUSTER INFO</c>) answer.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return fields;
    }

    /// <summary><c>INFO &lt;section&gt;</c> of the server on <paramref name="port"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(int port, string section, CancellationToken cancellationToken) =>
        Parse(await RedisLabClient.ExecuteAsync(port, ["INFO", section], cancellationToken).ConfigureAwait(false) as string);

    /// <summary><c>CLUSTER INFO</c> of the node on <paramref name="port"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadClusterAsync(int port, CancellationToken cancellationToken) =>
        Parse(await RedisLabClient.ExecuteAsync(port, ["CLUSTER", "INFO"], cancellationToken).ConfigureAwait(false) as string);

    /// <summary>An integer field, or <paramref name="fallback"/>.</summary>
    public static long Long(IReadOnlyDictionary<string, string> fields, string name, long fallback = 0) =>
        fields.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>True when the server on <paramref name="port"/> answers <c>ROLE</c> with <c>master</c>.</summary>
    public static async Task<bool> IsMasterAsync(int port, CancellationToken cancellationToken) =>
        await RedisLabClient.ExecuteAsync(port, ["ROLE"], cancellationToken).ConfigureAwait(false) is object?[] { Length: > 0 } role
        && role[0] is "master";
}
