using Stickless.Lab.Processes;

namespace Stickless.Lab.Abuse;

/// <summary><c>abuse.json</c>: one abuse run, what every hostile family got back, what the real users saw, and the nodes' resources.</summary>
internal sealed record AbuseResult
{
    /// <summary>The strategy under abuse.</summary>
    public required string Strategy { get; init; }

    /// <summary>Festa nodes behind HAProxy.</summary>
    public int Nodes { get; init; }

    /// <summary>When the abuse began (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the abuse ran, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Hostile clients sending abusive requests back to back.</summary>
    public int Attackers { get; init; }

    /// <summary>Slow clients (half trickling heads, half trickling bodies).</summary>
    public int SlowClients { get; init; }

    /// <summary>Hostile requests sent, all families.</summary>
    public long HostileRequests { get; init; }

    /// <summary>Hostile requests per second.</summary>
    public double HostileRps { get; init; }

    /// <summary>Hostile answers of 500 and above. Must be 0.</summary>
    public long ServerErrors { get; init; }

    /// <summary>Hostile requests that hung (no answer, no close, within the timeout). Must be 0.</summary>
    public long Hangs { get; init; }

    /// <summary>Hostile answers a family's own check refused (an id adopted, an unexpected status). Must be 0.</summary>
    public long Violations { get; init; }

    /// <summary>Hostile answers that held a real user's secret. Must be 0.</summary>
    public long Leaks { get; init; }

    /// <summary>Each family's figures.</summary>
    public IReadOnlyList<AttackFigures> Attacks { get; init; } = [];

    /// <summary>The real users.</summary>
    public required CanaryFigures Canary { get; init; }

    /// <summary>Memory, threads and descriptors of the nodes, HAProxy and the store's servers over the abuse.</summary>
    public IReadOnlyList<ProcessUsage> Processes { get; init; } = [];

    /// <summary>Nodes (and HAProxy) that died or were restarted during the abuse. Must be empty.</summary>
    public IReadOnlyList<string> Crashed { get; init; } = [];

    /// <summary>True when every check held.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Every check that did not hold, in a sentence each.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}
