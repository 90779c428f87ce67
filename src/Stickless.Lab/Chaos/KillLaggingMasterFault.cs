using System.Globalization;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>kill-lagging-master</c>: re-point the master's replicas through a <see cref="ReplicationRelay"/>, hold the
/// replication stream there for a lag period while the master keeps taking writes (the replicas' acknowledgements
/// still reach it, so <c>min-replicas-to-write</c> is satisfied), then SIGKILL the master and cut the relay: Sentinel
/// promotes a replica that never received the last lag period's writes. Without WAIT those writes were acknowledged
/// and are lost; with WAIT they fail (the replicas never acknowledge them) instead.
/// </summary>
/// <remarks>
/// Stopping the replicas (SIGSTOP) does not open this window on one machine: a stopped replica's kernel keeps
/// receiving the stream into its socket buffer (megabytes on loopback) and the replica reads all of it once resumed,
/// long before a failover. The relay drops the held bytes instead, as a broken link would.
/// </remarks>
internal sealed class KillLaggingMasterFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "kill-lagging-master";

    /// <summary>The default lag period.</summary>
    public static readonly TimeSpan DefaultLag = TimeSpan.FromSeconds(1.5);

    /// <summary>How long after down-after a failover may take before the watch gives up.</summary>
    private static readonly TimeSpan WatchMargin = TimeSpan.FromSeconds(20);

    /// <summary>How long a replica may take to resynchronise through the relay.</summary>
    private static readonly TimeSpan RelinkLimit = TimeSpan.FromSeconds(10);

    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="lag">How long the replication stream is held before the master dies; default <see cref="DefaultLag"/>.</param>
    /// <param name="time">The clock of the lag and the failover watch; default the system's.</param>
    public KillLaggingMasterFault(TimeSpan? lag = null, TimeProvider? time = null)
    {
        Lag = lag ?? DefaultLag;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Lag, TimeSpan.Zero, nameof(lag));
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>How long the replication stream is held before the master dies.</summary>
    public TimeSpan Lag { get; }

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "Hold the master's replication stream for 1.5 s (a relay) while it takes writes, then SIGKILL it: a replica missing those writes is promoted.";

    /// <summary>The ports of the replicas a master's <c>INFO replication</c> lists (<c>slaveN:ip=…,port=…,…</c>), sorted.</summary>
    public static IReadOnlyList<int> ReplicaPortsIn(IReadOnlyDictionary<string, string> replication)
    {
        ArgumentNullException.ThrowIfNull(replication);
        var ports = new List<int>();
        foreach (var (key, value) in replication)
        {
            if (!key.StartsWith("slave", StringComparison.Ordinal) || !int.TryParse(key.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            var port = value.Split(',').Select(static p => p.Split('=', 2)).FirstOrDefault(static p => p is ["port", _])?[1];
            if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                ports.Add(number);
            }
        }

        return [.. ports.Order()];
    }

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var topology = FailoverWatch.TopologyOf(context, FaultName);
        var services = context.Deployment.Services;
        var master = await topology.FindMasterAsync(services, ct).ConfigureAwait(false);
        var pid = master.Service.Pid;
        var replicaPorts = ReplicaPortsIn(await RedisInfo.ReadAsync(master.Service.Port, "replication", ct).ConfigureAwait(false));
        var replicas = services.Where(s => replicaPorts.Contains(s.Port)).ToList();
        if (replicas.Count == 0)
        {
            throw new LabException($"{FaultName}: {master.Service.Name} has no replica.");
        }

        var names = string.Join(", ", replicas.Select(static r => r.Name));
        await using var relay = ReplicationRelay.Start(master.Service.Port);

        // One replica at a time, so that the master always keeps one (min-replicas-to-write 1); PSYNC continues the
        // same stream, no full resynchronisation.
        foreach (var replica in replicas)
        {
            await RedisLabClient.ExecuteAsync(replica.Port, ["REPLICAOF", "127.0.0.1", relay.Port.ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false);
            await WaitLinkedAsync(replica, relay.Port, ct).ConfigureAwait(false);
        }

        context.Log.Info($"{names} now replicate {master.Service.Name} through a relay on 127.0.0.1:{relay.Port}");

        context.Striking();
        var struckAt = time.GetTimestamp();
        relay.Hold();
        await Task.Delay(Lag, time, ct).ConfigureAwait(false);

        // Where the master's replication stream stands when it dies: what a successor should have received.
        var masterOffset = RedisInfo.Long(await RedisInfo.ReadAsync(master.Service.Port, "replication", ct).ConfigureAwait(false), "master_repl_offset", -1);
        await master.Service.KillAsync().ConfigureAwait(false);
        relay.Cut();
        var lagged = time.GetElapsedTime(struckAt);
        var heldBytes = relay.HeldBytes;
        context.Log.Info(string.Create(CultureInfo.InvariantCulture,
            $"held the replication stream to {names} for {lagged.TotalSeconds:0.00} s ({heldBytes} bytes), then SIGKILL {master.Service.Name} (pid {pid}), the master, at replication offset {masterOffset}; waiting for a replica to take over"));

        var (successor, elapsed) = await FailoverWatch.WaitAsync(topology, services, master, struckAt, lagged + topology.DownAfter + WatchMargin, time, ct).ConfigureAwait(false);
        long? streamLost = null;
        if (successor is not null && masterOffset >= 0)
        {
            // second_repl_offset: one past the last byte of the old master's stream the promoted replica held.
            var held = RedisInfo.Long(await RedisInfo.ReadAsync(successor.Port, "replication", ct).ConfigureAwait(false), "second_repl_offset", -1);
            streamLost = held < 0 ? null : Math.Max(0, masterOffset + 1 - held);
        }

        var failover = elapsed - lagged;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"held the replication stream from {master.Service.Name} to {names} for {lagged.TotalSeconds:0.00} s, then SIGKILL {master.Service.Name} (pid {pid}), the master; ")
            + (successor is null
                ? string.Create(CultureInfo.InvariantCulture, $"no replica took over within {failover.TotalSeconds:0.0} s of the kill")
                : string.Create(CultureInfo.InvariantCulture, $"{successor.Name} took over {failover.TotalSeconds:0.00} s after the kill (down-after {topology.DownAfter.TotalSeconds:0.#} s)")
                  + (streamLost is { } bytes ? string.Create(CultureInfo.InvariantCulture, $", missing {bytes} bytes of the old master's replication stream") : string.Empty));
        context.Log.Info(detail);
        return new FaultOutcome(master.Service.Name, detail)
        {
            FailoverSeconds = successor is null ? null : Math.Round(elapsed.TotalSeconds, 2),
            Successor = successor?.Name,
            LagSeconds = Math.Round(lagged.TotalSeconds, 2),
            ReplicationBytesLost = streamLost,
        };
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.FirstOrDefault(s => string.Equals(s.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;

    private async Task WaitLinkedAsync(LabService replica, int relayPort, CancellationToken ct)
    {
        var since = time.GetTimestamp();
        while (true)
        {
            var info = await RedisInfo.ReadAsync(replica.Port, "replication", ct).ConfigureAwait(false);
            if (RedisInfo.Long(info, "master_port") == relayPort && info.GetValueOrDefault("master_link_status") == "up")
            {
                return;
            }

            if (time.GetElapsedTime(since) > RelinkLimit)
            {
                throw new LabException($"{FaultName}: {replica.Name} did not resynchronise through the relay within {RelinkLimit.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, ct).ConfigureAwait(false);
        }
    }
}
