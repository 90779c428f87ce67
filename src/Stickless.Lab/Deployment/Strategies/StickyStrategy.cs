namespace Stickless.Lab.Deployment.Strategies;

/// <summary>Session affinity: sessions in each node's memory, HAProxy inserts a server cookie and routes each browser to "its" node.</summary>
internal sealed class StickyStrategy : ILabStrategy
{
    /// <inheritdoc/>
    public string Name => "sticky";

    /// <inheritdoc/>
    public string Description => "Each node keeps sessions in its own memory; HAProxy inserts a SERVERID cookie and sends each browser back to the same node. When that node dies, its users go elsewhere and their sessions are gone.";

    /// <inheritdoc/>
    public string WhatToWatch => "The probe's requests all land on one node and stay signed in. Kill that node (its card's kill button) and the probe moves to another node, signed out: its session died with the node.";

    /// <inheritdoc/>
    public bool SharesSessions => false;

    /// <inheritdoc/>
    public bool StickyRouting => true;

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
