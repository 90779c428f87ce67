namespace Stickless.Lab.Deployment.Strategies;

/// <summary>The problem Stickless exists for: each node keeps its sessions in its own memory, HAProxy spreads requests round robin.</summary>
internal sealed class LocalStrategy : ILabStrategy
{
    /// <inheritdoc/>
    public string Name => "local";

    /// <inheritdoc/>
    public string Description => "Each node keeps sessions in its own memory; HAProxy sends requests round robin, so the next request usually lands on a node that never saw your session.";

    /// <inheritdoc/>
    public string WhatToWatch => "The probe signs in on one node, then its next request goes to another node, which answers as if nobody signed in (red). Every other request forgets the login.";

    /// <inheritdoc/>
    public bool SharesSessions => false;

    /// <inheritdoc/>
    public bool StickyRouting => false;

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
