using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>pause-master</c>: SIGSTOP the Redis master for half of down-after (it keeps its connections but answers
/// nothing), then SIGCONT, and watch for a while that nobody failed over. Calls made meanwhile wait; only those
/// whose timeout is shorter than the pause fail.
/// </summary>
internal sealed class PauseMasterFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "pause-master";

    /// <summary>How long after the pause the watch looks for an unwanted failover, beyond down-after.</summary>
    private static readonly TimeSpan WatchMargin = TimeSpan.FromSeconds(2);

    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="time">The clock of the pause and the watch; default the system's.</param>
    public PauseMasterFault(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGSTOP the Redis master for half of down-after, then SIGCONT: a stall, not a failure; nobody should fail over.";

    /// <summary>The pause for a failure detection time of <paramref name="downAfter"/>: half of it.</summary>
    public static TimeSpan PauseFor(TimeSpan downAfter) => downAfter / 2;

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var topology = FailoverWatch.TopologyOf(context, FaultName);
        var services = context.Deployment.Services;
        var master = await topology.FindMasterAsync(services, ct).ConfigureAwait(false);
        var pid = master.Service.Pid;
        var pause = PauseFor(topology.DownAfter);

        context.Striking();
        var pausedAt = time.GetTimestamp();
        await master.Service.PauseAsync().ConfigureAwait(false);
        try
        {
            await Task.Delay(pause, time, ct).ConfigureAwait(false);
        }
        finally
        {
            // Resumed whatever happens: a stopped server must never outlive the run.
            await master.Service.ResumeAsync().ConfigureAwait(false);
        }

        var paused = time.GetElapsedTime(pausedAt);
        context.Log.Info(string.Create(CultureInfo.InvariantCulture, $"SIGSTOP {master.Service.Name} (pid {pid}) for {paused.TotalSeconds:0.00} s, then SIGCONT; watching for a failover"));

        // A failover decided during the pause would show within down-after; give it that, and a margin.
        var (successor, elapsed) = await FailoverWatch.WaitAsync(topology, services, master, pausedAt, topology.DownAfter + WatchMargin, time, ct).ConfigureAwait(false);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"SIGSTOP {master.Service.Name} (pid {pid}), the master, for {paused.TotalSeconds:0.00} s (down-after {topology.DownAfter.TotalSeconds:0.#} s), then SIGCONT; ")
            + (successor is null
                ? string.Create(CultureInfo.InvariantCulture, $"no failover in the {elapsed.TotalSeconds:0.0} s watched")
                : string.Create(CultureInfo.InvariantCulture, $"{successor.Name} took over anyway after {elapsed.TotalSeconds:0.00} s"));
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
