using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// The parameters a fault may take from the command line (<c>--latency 500ms --fault-for 5 --fault-nodes 1</c>); each
/// fault reads the ones it understands and uses its own default for the rest (null here).
/// </summary>
internal sealed record FaultSettings
{
    /// <summary>No parameter given: every fault's defaults.</summary>
    public static FaultSettings Default { get; } = new();

    /// <summary>Added latency (<c>slow-store</c>).</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>Jitter around the latency (<c>slow-store</c>).</summary>
    public TimeSpan? Jitter { get; init; }

    /// <summary>How long a link fault holds before it heals (<c>slow-store</c>, <c>blackhole-store</c>).</summary>
    public TimeSpan? HoldFor { get; init; }

    /// <summary>How many nodes' store links a link fault hits, from node1 on; null: every node.</summary>
    public int? Nodes { get; init; }

    /// <summary>The parameters given, for a run's label (<c>latency 500 ms, 1 node</c>); empty when none.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Latency is { } latency)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"latency {Milliseconds(latency)}"));
        }

        if (Jitter is { } jitter)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"jitter {Milliseconds(jitter)}"));
        }

        if (HoldFor is { } hold)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"for {hold.TotalSeconds:0.#} s"));
        }

        if (Nodes is { } nodes)
        {
            parts.Add(nodes == 1 ? "1 node" : string.Create(CultureInfo.InvariantCulture, $"{nodes} nodes"));
        }

        return string.Join(", ", parts);
    }

    private static string Milliseconds(TimeSpan value) =>
        value.TotalMilliseconds >= 1000 && value.TotalMilliseconds % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.#} ms");
}
