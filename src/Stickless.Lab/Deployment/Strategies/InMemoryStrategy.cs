namespace Stickless.Lab.Deployment.Strategies;

/// <summary>
/// Sessions in each node's own memory (the in-memory store); the strategies differ only in how HAProxy routes:
/// <see cref="Local"/> round robin (the problem Stickless exists for), <see cref="Sticky"/> by a server cookie.
/// </summary>
internal sealed class InMemoryStrategy : ILabStrategy
{
    private InMemoryStrategy(string name, bool stickyRouting, string description, string whatToWatch)
    {
        Name = name;
        StickyRouting = stickyRouting;
        Description = description;
        WhatToWatch = whatToWatch;
    }

    /// <summary>The problem Stickless exists for: each node keeps its sessions in its own memory, HAProxy spreads requests round robin.</summary>
    public static InMemoryStrategy Local { get; } = new(
        "local",
        stickyRouting: false,
        "Each node keeps sessions in its own memory; HAProxy sends requests round robin, so the next request usually lands on a node that never saw your session.",
        "The probe signs in on one node, then its next request goes to another node, which answers as if nobody signed in (red). Every other request forgets the login.");

    /// <summary>Session affinity: sessions in each node's memory, HAProxy inserts a server cookie and routes each browser to "its" node.</summary>
    public static InMemoryStrategy Sticky { get; } = new(
        "sticky",
        stickyRouting: true,
        "Each node keeps sessions in its own memory; HAProxy inserts a SERVERID cookie and sends each browser back to the same node. When that node dies, its users go elsewhere and their sessions are gone.",
        "The probe's requests all land on one node and stay signed in. Kill that node (its card's kill button) and the probe moves to another node, signed out: its session died with the node.");

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public string WhatToWatch { get; }

    /// <inheritdoc/>
    public bool SharesSessions => false;

    /// <inheritdoc/>
    public bool StickyRouting { get; }

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [];

    /// <inheritdoc/>
    public Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LabService>>([]);

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node) =>
        [new("Stickless:Store", "InMemory")];

    /// <inheritdoc/>
    public Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}
