namespace Stickless.Lab.Deployment;

/// <summary>What to deploy: a strategy on N Festa nodes behind HAProxy.</summary>
/// <param name="Strategy">A name from <see cref="LabStrategies"/>: <c>local</c>, <c>sticky</c>, <c>redis</c>, …</param>
/// <param name="Nodes">How many Festa nodes (1 to 16).</param>
/// <param name="RunDirectory">Where generated configuration, users file and logs go; emptied at start.</param>
/// <param name="FrontendPort">HAProxy's port; null picks a free one.</param>
internal sealed record DeploymentSpec(string Strategy, int Nodes, string RunDirectory, int? FrontendPort = null)
{
    /// <summary>The lab folders (pid files, Festa build); default <see cref="LabPaths.Resolve"/>.</summary>
    public LabPaths? Paths { get; init; }

    /// <summary>How long the whole start may take (Festa build excluded); default 120 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Puts a fault proxy on every node → store link the strategy declares (<see cref="ILabStrategy.StoreServices"/>),
    /// so store faults can slow or cut the store for some nodes or all. Default false (nodes connect directly).
    /// </summary>
    public bool ProxyStoreLinks { get; init; }

    /// <summary>
    /// Puts a fault proxy on every link of the strategy's own servers, each told apart by who opens it: nodes to servers,
    /// servers to servers, sentinels to servers (<see cref="ILabStrategy.SupportsServerLinks"/>), for faults that partition
    /// them (<c>partition-master</c>). Default false.
    /// </summary>
    public bool ProxyServerLinks { get; init; }

    /// <summary>How the store keeps data on disk, for strategies that support it; null (default): the strategy's default (none).</summary>
    public RedisPersistence? Persistence { get; init; }

    /// <summary>
    /// Settings every node gets after the strategy's own (keys as in appsettings), when the nodes run Festa: for example
    /// <c>Stickless:NearCache:Enabled=true</c>. The peers' applications do not get them. Default none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> NodeSettings { get; init; } = [];

    /// <summary>
    /// Configuration every node gets after the strategy's (keys as in appsettings, <c>Stickless:HeaderName</c>), for runs that
    /// need a setting the strategy does not make: the abuse run turns the id header on. Default none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraNodeConfiguration { get; init; } = [];
}
