namespace Stickless.Lab.Chaos;

/// <summary>
/// A fault the chaos command injects part-way through a bench run. Faults are named and registered
/// in <see cref="FaultRegistry"/>, so a store's own faults (kill-master, pause-master,
/// kill-store-node, partition) plug in without changing the chaos command.
/// </summary>
internal interface IFault
{
    /// <summary>The name on the command line (<c>--fault kill-node</c>).</summary>
    string Name { get; }

    /// <summary>One sentence for help and the report.</summary>
    string Description { get; }

    /// <summary>Injects the fault into the running deployment.</summary>
    /// <returns>What was hit and how, for the report.</returns>
    Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct);

    /// <summary>Undoes the fault once the run is over (resume a paused process, heal a partition); by default nothing.</summary>
    Task RecoverAsync(FaultContext context, FaultOutcome outcome, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Whether the target is still alive (for the report); null when the question makes no sense.</summary>
    bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) => null;

    /// <summary>How long the fault holds from the moment it strikes until it heals by itself (a run must outlast it); zero for an instant fault.</summary>
    TimeSpan Lasts => TimeSpan.Zero;

    /// <summary>True when the fault cuts the links of the strategy's own servers: the run then proxies every one of them (<see cref="Deployment.DeploymentSpec.ProxyServerLinks"/>). Default false.</summary>
    bool NeedsServerLinks => false;

    /// <summary>True when the fault acts through fault proxies on the node → store links: the run then places them. Default false.</summary>
    bool NeedsStoreLinks => false;
}
