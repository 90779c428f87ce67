namespace Stickless.Lab.Deployment;

/// <summary>
/// A way of sharing sessions, as the lab deploys it: which servers it needs beside the nodes, how each node is
/// configured, and how HAProxy routes. Registered by name in <see cref="LabStrategies"/>, so a new store plugs into
/// <c>up</c>, <c>bench</c> and <c>chaos</c> without changing them.
/// </summary>
internal interface ILabStrategy
{
    /// <summary>The name on the command line (<c>local</c>, <c>sticky</c>, <c>redis</c>, …).</summary>
    string Name { get; }

    /// <summary>One sentence: where a session lives and what the load balancer does.</summary>
    string Description { get; }

    /// <summary>What a person watching the dashboard should notice.</summary>
    string WhatToWatch { get; }

    /// <summary>True when every node sees every session (a request may go to any node).</summary>
    bool SharesSessions { get; }

    /// <summary>True when HAProxy routes by an affinity cookie instead of round robin.</summary>
    bool StickyRouting { get; }

    /// <summary>What each node runs; default Festa (the peers run their own application, same HTTP contract).</summary>
    ILabNodeApplication NodeApplication => DotnetNodeApplication.Festa;

    /// <summary>Programs it runs beside HAProxy and Festa.</summary>
    IReadOnlyList<LabTool> RequiredTools { get; }

    /// <summary>Starts the servers the nodes need (through <see cref="StrategyContext.StartServiceAsync"/>) and waits until they are ready.</summary>
    Task<IReadOnlyList<LabService>> StartServicesAsync(StrategyContext context, CancellationToken cancellationToken);

    /// <summary>The Festa configuration of one node (keys as in appsettings, <c>Stickless:Store</c> …), given the started services.</summary>
    IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration(StrategyContext context, LabNodePlan node);

    /// <summary>How many live sessions the shared store holds; null when sessions live in the nodes' memory (not countable from outside).</summary>
    Task<long?> CountStoredSessionsAsync(StrategyContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The services (by <see cref="LabService.Name"/>) every node connects to directly: its store links. When a run asks
    /// for it (<see cref="DeploymentSpec.ProxyStoreLinks"/>) the lab puts a fault proxy on each node's link to each of them,
    /// so the strategy must configure nodes with <see cref="StrategyContext.EndpointFor"/>. Store faults
    /// (<c>slow-store</c>, <c>blackhole-store</c>, <c>restart-store</c>) act on these. Default none.
    /// </summary>
    IReadOnlyList<string> StoreServices => [];

    /// <summary>
    /// True when the strategy can put every link of its servers behind fault proxies (<see cref="StrategyContext.ProxyServerLinks"/>):
    /// each server known by a <see cref="Network.RoutedFront"/>, and a proxy per source. Default false.
    /// </summary>
    bool SupportsServerLinks => false;

    /// <summary>True when the strategy writes <see cref="StrategyContext.Persistence"/> into its servers' configuration. Default false.</summary>
    bool SupportsPersistence => false;
}
