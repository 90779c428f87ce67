namespace Stickless.Lab.Bench;

/// <summary>The name of a run in logs, in the report and as its key in <c>results.json</c> (a run replaces an earlier one of the same name).</summary>
internal static class RunLabel
{
    /// <summary>
    /// <c>redis</c>, <c>redis [aof-always]</c>, <c>redis [proxied]</c>, <c>redis [near-cache]</c>, <c>sticky + kill-node</c>,
    /// <c>redis + slow-store (latency 3 s, 1 node)</c>, <c>redis [near-cache, session-free]</c> (the same node's
    /// session-free endpoint, measured beside it).
    /// </summary>
    public static string Of(string strategy, string? persistence, bool proxied, string? fault, string? faultSettings, bool nearCache = false, bool sessionFree = false)
    {
        var variants = new List<string>();
        if (persistence is not null)
        {
            variants.Add(persistence);
        }

        if (proxied)
        {
            variants.Add("proxied");
        }

        if (nearCache)
        {
            variants.Add("near-cache");
        }

        if (sessionFree)
        {
            variants.Add("session-free");
        }

        var label = variants.Count == 0 ? strategy : $"{strategy} [{string.Join(", ", variants)}]";
        if (fault is null)
        {
            return label;
        }

        return string.IsNullOrEmpty(faultSettings) ? $"{label} + {fault}" : $"{label} + {fault} ({faultSettings})";
    }
}
