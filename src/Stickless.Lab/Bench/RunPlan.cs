using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>One run: a strategy on N nodes, a workload, and optionally a fault.</summary>
/// <param name="Strategy">The deployment strategy.</param>
/// <param name="Nodes">Festa nodes.</param>
/// <param name="RunDirectory">The deployment's run directory.</param>
/// <param name="Workload">The virtual users.</param>
/// <param name="Fault">The fault to inject part-way, or null.</param>
internal sealed record RunPlan(string Strategy, int Nodes, string RunDirectory, WorkloadOptions Workload, FaultPlan? Fault = null)
{
    /// <summary>Lab folders for the deployment; null: the default.</summary>
    public LabPaths? Paths { get; init; }

    /// <summary>Called once the deployment is up (tests use it to note the pids they expect gone afterwards).</summary>
    public Action<LabDeployment>? DeploymentStarted { get; init; }

    /// <summary>
    /// Where the run's live dashboard listens (0: a free port; a busy port falls back to a free one); null
    /// (default): no dashboard. It starts with the deployment and stops before it.
    /// </summary>
    public int? DashboardPort { get; init; }

    /// <summary>Called with the dashboard's address once it is up.</summary>
    public Action<Uri>? DashboardStarted { get; init; }

    /// <summary>
    /// Nodes reach the store through fault proxies (<see cref="DeploymentSpec.ProxyStoreLinks"/>) even without a fault
    /// that needs them, to measure what the proxies themselves cost. Default false.
    /// </summary>
    public bool ProxyStoreLinks { get; init; }

    /// <summary>How the store keeps data on disk (redis); null (default): the strategy's default.</summary>
    public RedisPersistence? Persistence { get; init; }

    /// <summary>True to run the nodes with the near cache on (<c>Stickless:NearCache:Enabled</c>; nodes that run Festa only). Default false.</summary>
    public bool NearCache { get; init; }

    /// <summary>
    /// True for the session-free measurement taken beside a read run on the same deployment (<c>GET /baseline</c>, the size
    /// of <c>GET /me</c>, never touching the session): what the node serves without sessions. Default false.
    /// </summary>
    public bool SessionFree { get; init; }

    /// <summary>The settings every node gets beside the strategy's (the near cache).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> NodeSettings =>
        NearCache ? [new("Stickless:NearCache:Enabled", "true")] : [];

    /// <summary>True when the fault needs every link of the strategy's servers proxied.</summary>
    public bool ServerLinksProxied => Fault?.Fault.NeedsServerLinks ?? false;

    /// <summary>True when the deployment puts fault proxies on the store links: asked for, or needed by the fault.</summary>
    public bool StoreLinksProxied => ProxyStoreLinks || (Fault?.Fault.NeedsStoreLinks ?? false);

    /// <summary>The run's name in logs and the report: <c>redis [aof-always] + restart-store</c>, <c>redis + slow-store (latency 3 s)</c>.</summary>
    public string Label => RunLabel.Of(Strategy, Persistence?.Name, ProxyStoreLinks && Fault is null, Fault?.Fault.Name, Fault?.Settings?.ToString(), NearCache, SessionFree);
}
