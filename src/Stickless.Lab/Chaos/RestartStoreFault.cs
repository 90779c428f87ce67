using System.Globalization;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Network;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>restart-store</c>: SIGKILL the store's servers (the strategy's <see cref="ILabStrategy.StoreServices"/>) and start
/// them again at once with the same configuration, so they come back from whatever they had on disk. With Redis,
/// <c>--persistence</c> decides what that is (none, RDB snapshots, AOF everysec, AOF always); the shadow model then
/// counts the sessions and the acknowledged updates the restart lost.
/// </summary>
/// <remarks>
/// The store links are proxied so that the lab can count what the store came back with before any node writes to it:
/// while the store is down and until it is counted, the proxies reset new connections, which is what a node meets at
/// the port of a dead server anyway (connection refused).
/// </remarks>
/// <remarks>
/// A SIGKILL is a process crash, not a machine crash: what Redis has written to the kernel survives it even when not yet
/// fsynced. So AOF everysec loses nothing here, where a power cut could cost it up to a second; RDB loses every change
/// since its last snapshot either way.
/// </remarks>
internal sealed class RestartStoreFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "restart-store";

    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="time">The clock the restart is timed with; default the system's.</param>
    public RestartStoreFault(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGKILL the store's servers and restart them at once from their files (redis: --persistence none|rdb|aof-everysec|aof-always).";

    /// <inheritdoc />
    public bool NeedsStoreLinks => true;

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var deployment = context.Deployment;
        var names = deployment.Strategy.StoreServices;
        var services = deployment.Services.Where(s => names.Contains(s.Name)).ToList();
        if (services.Count == 0)
        {
            throw new LabException($"{FaultName} needs a strategy that declares its store servers ({LabStrategies.WithStoreLinks}), not {deployment.Strategy.Name}.");
        }

        var before = await deployment.CountStoredSessionsAsync(ct).ConfigureAwait(false);
        var unsaved = deployment.Spec.Persistence == RedisPersistence.Rdb ? await ChangesSinceLastSaveAsync(services[0], ct).ConfigureAwait(false) : null;
        var pids = string.Join(", ", services.Select(static s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} (pid {s.Pid})")));

        var links = deployment.Links.Between(null, [.. names]);
        context.Striking();
        var since = time.GetTimestamp();
        TimeSpan restart;
        long? after;
        LabLinks.Apply(links, new LinkFaults { ResetNewConnections = true });
        try
        {
            foreach (var service in services)
            {
                await service.KillAsync().ConfigureAwait(false);
            }

            context.Log.Info($"{FaultName}: SIGKILL {pids}; starting again from their files");
            foreach (var service in services)
            {
                await service.RestartAsync(ct).ConfigureAwait(false);
            }

            restart = time.GetElapsedTime(since);
            after = await deployment.CountStoredSessionsAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            LabLinks.Apply(links, LinkFaults.None);
        }
        var persistence = deployment.Spec.Persistence is { } p ? $" (persistence {p.Name})" : string.Empty;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"SIGKILL {pids} and restarted from its files{persistence}, answering again after {restart.TotalSeconds:0.00} s; sessions in the store: {Count(before)} before, {Count(after)} after");
        if (unsaved is { } changes)
        {
            detail += string.Create(CultureInfo.InvariantCulture, $"; {changes} changes were not in an RDB snapshot");
        }

        context.Log.Info(detail);
        return new FaultOutcome(string.Join(", ", services.Select(static s => s.Name)), detail)
        {
            HeldSeconds = Math.Round(restart.TotalSeconds, 2),
            RestartSeconds = Math.Round(restart.TotalSeconds, 2),
            StoredSessionsBefore = before,
            StoredSessionsAfter = after,
            ChangesSinceLastSave = unsaved,
        };
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.Where(s => context.Deployment.Strategy.StoreServices.Contains(s.Name)).All(static s => s.IsAlive);

    private static async Task<long?> ChangesSinceLastSaveAsync(LabService service, CancellationToken ct)
    {
        try
        {
            var info = await RedisInfo.ReadAsync(service.Port, "persistence", ct).ConfigureAwait(false);
            return info.ContainsKey("rdb_changes_since_last_save") ? RedisInfo.Long(info, "rdb_changes_since_last_save") : null;
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException
                                          || (exception is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    private static string Count(long? value) => value?.ToString("#,0", CultureInfo.InvariantCulture) ?? "?";
}
