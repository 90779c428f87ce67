using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>kill-master</c>: SIGKILL the Redis master at the fault moment (the one the sentinels name; for a cluster, the
/// master holding the most keys), then watch until a replica has taken over. The old master stays dead: what the
/// failover lost is the measurement, and the time the failover took is reported beside it.
/// </summary>
internal sealed class KillMasterFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "kill-master";

    /// <summary>How long after down-after a failover may take before the watch gives up.</summary>
    private static readonly TimeSpan WatchMargin = TimeSpan.FromSeconds(20);

    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="time">The clock the failover is timed with; default the system's.</param>
    public KillMasterFault(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGKILL the Redis master (as the sentinels or the cluster see it); it stays down while a replica takes over.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var topology = FailoverWatch.TopologyOf(context, FaultName);
        var services = context.Deployment.Services;
        var master = await topology.FindMasterAsync(services, ct).ConfigureAwait(false);
        var pid = master.Service.Pid;

        context.Striking();
        var killedAt = time.GetTimestamp();
        await master.Service.KillAsync().ConfigureAwait(false);
        context.Log.Info($"SIGKILL {master.Service.Name} (pid {pid}), the master; waiting for a replica to take over");

        var (successor, elapsed) = await FailoverWatch.WaitAsync(topology, services, master, killedAt, topology.DownAfter + WatchMargin, time, ct).ConfigureAwait(false);
        var detail = successor is null
            ? string.Create(CultureInfo.InvariantCulture, $"SIGKILL {master.Service.Name} (pid {pid}), the master; no replica took over within {elapsed.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"SIGKILL {master.Service.Name} (pid {pid}), the master; {successor.Name} took over after {elapsed.TotalSeconds:0.00} s (down-after {topology.DownAfter.TotalSeconds:0.#} s)");
        context.Log.Info(detail);
        return new FaultOutcome(master.Service.Name, detail)
        {
            FailoverSeconds = successor is null ? null : Math.Round(elapsed.TotalSeconds, 2),
            Successor = successor?.Name,
        };
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.FirstOrDefault(s => string.Equals(s.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
