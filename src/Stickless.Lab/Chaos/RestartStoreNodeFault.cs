using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>restart-store-node</c>: SIGKILL the memcached server holding the most items and start it again at once, empty,
/// on the same port. Its sessions are read from their backups and copied back (memcached-backup), or are gone
/// (memcached); the app nodes see it restarted (another pid, a short uptime) and use it without a flush.
/// </summary>
internal sealed class RestartStoreNodeFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "restart-store-node";

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGKILL the memcached server holding the most items and start it again, empty, on the same port.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var (service, items) = await StoreNodeTarget.PickAsync(context, FaultName, ct).ConfigureAwait(false);
        var pid = service.Pid;
        context.Striking();
        await service.KillAsync().ConfigureAwait(false);
        await service.RestartAsync(ct).ConfigureAwait(false);
        var detail = string.Create(CultureInfo.InvariantCulture, $"SIGKILL {service.Name} (pid {pid}), which held {items} items, and started it again empty (pid {service.Pid})");
        context.Log.Info(detail);
        return new FaultOutcome(service.Name, detail);
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.FirstOrDefault(s => string.Equals(s.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
