using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>pause-store-node</c>: SIGSTOP the memcached server holding the most items for a few seconds, then SIGCONT. The
/// app nodes time out, mark it down, serve its sessions from their backups (or presume them lost), and re-admit it when
/// it answers again: flushed if anything of its was written elsewhere meanwhile, as it is otherwise.
/// </summary>
internal sealed class PauseStoreNodeFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "pause-store-node";

    /// <summary>How long the server is frozen.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="time">The clock of the pause; default the system's.</param>
    public PauseStoreNodeFault(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGSTOP the memcached server holding the most items for 5 s, then SIGCONT.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var (service, items) = await StoreNodeTarget.PickAsync(context, FaultName, ct).ConfigureAwait(false);
        var pid = service.Pid;
        context.Striking();
        await service.PauseAsync().ConfigureAwait(false);
        try
        {
            await Task.Delay(Pause, time, ct).ConfigureAwait(false);
        }
        finally
        {
            // Resumed whatever happens: a stopped server must never outlive the run.
            await service.ResumeAsync().ConfigureAwait(false);
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"SIGSTOP {service.Name} (pid {pid}), which held {items} items, for {Pause.TotalSeconds:0} s, then SIGCONT");
        context.Log.Info(detail);
        return new FaultOutcome(service.Name, detail);
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.FirstOrDefault(s => string.Equals(s.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
