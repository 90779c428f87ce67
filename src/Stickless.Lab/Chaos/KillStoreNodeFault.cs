using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>kill-store-node</c>: SIGKILL the memcached server holding the most items; it stays down for the rest of the run.
/// Without backups its sessions are gone (about a third); with backups they are served from the next server.
/// </summary>
internal sealed class KillStoreNodeFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "kill-store-node";

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGKILL the memcached server holding the most items; it stays down.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var (service, items) = await StoreNodeTarget.PickAsync(context, FaultName, ct).ConfigureAwait(false);
        var pid = service.Pid;
        context.Striking();
        await service.KillAsync().ConfigureAwait(false);
        var detail = string.Create(CultureInfo.InvariantCulture, $"SIGKILL {service.Name} (pid {pid}), which held {items} items; it stays down");
        context.Log.Info(detail);
        return new FaultOutcome(service.Name, detail);
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.FirstOrDefault(s => string.Equals(s.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
