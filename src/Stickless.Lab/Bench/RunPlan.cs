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
}
