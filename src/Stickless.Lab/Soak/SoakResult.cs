using Stickless.Lab.Bench;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Soak;

/// <summary><c>soak.json</c>: a long run with a fault after another, what each fault cost, and the processes' resources.</summary>
internal sealed record SoakResult
{
    /// <summary>The strategy soaked.</summary>
    public required string Strategy { get; init; }

    /// <summary>The store's persistence (redis), or null.</summary>
    public string? Persistence { get; init; }

    /// <summary>Festa nodes.</summary>
    public int Nodes { get; init; }

    /// <summary>Virtual users.</summary>
    public int Users { get; init; }

    /// <summary>When the workload started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the workload ran, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Seconds between faults.</summary>
    public double FaultEverySeconds { get; init; }

    /// <summary>The whole run's figures (the fields of a bench run).</summary>
    public required RunResult Totals { get; init; }

    /// <summary>One entry per fault: its figures from the moment it struck to the next fault (or the end), and its promise.</summary>
    public IReadOnlyList<SoakFault> Faults { get; init; } = [];

    /// <summary>Memory, threads and descriptors of every node, HAProxy and the store's servers over the run.</summary>
    public IReadOnlyList<ProcessUsage> Processes { get; init; } = [];

    /// <summary>True when every check held.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Every check that did not hold.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}
