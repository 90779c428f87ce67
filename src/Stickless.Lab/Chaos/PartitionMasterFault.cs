using System.Globalization;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Network;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>partition-master</c> (redis-ha and its variants): the split brain <c>min-replicas-to-write</c> is for. The network
/// splits the Redis master and some app nodes (with 3 nodes: node1) from everything else: its replicas, the three
/// sentinels and the other nodes. Every link of the deployment goes through a fault proxy of its own (the run proxies
/// server links: each server is known by a <see cref="RoutedFront"/> that tells its clients apart), and the fault
/// black-holes the ones that cross the split for <see cref="Hold"/>. The sentinels promote a replica; the node on the
/// master's side keeps talking to the old master, which acknowledges writes until <c>min-replicas-to-write</c> stops it
/// (or for the whole partition without it, or never with WAIT); at the heal the sentinels turn the old master into a
/// replica of the new one, and what it took alone is gone. A probe session writes through the minority node all along
/// and counts what the heal kept.
/// </summary>
internal sealed class PartitionMasterFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "partition-master";

    /// <summary>How long the partition holds by default: past down-after (2 s) and the failover, and past min-replicas-max-lag (5 s).</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromSeconds(12);

    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RejoinBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);
    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="hold">How long the partition holds; default <see cref="DefaultHold"/>.</param>
    /// <param name="time">The clock; default the system's.</param>
    public PartitionMasterFault(TimeSpan? hold = null, TimeProvider? time = null)
    {
        Hold = hold ?? DefaultHold;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>How long the partition holds.</summary>
    public TimeSpan Hold { get; }

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Cut the Redis master and a third of the app nodes off from its replicas, the sentinels and the other nodes for {Hold.TotalSeconds:0.#} s, then heal: the split brain min-replicas-to-write and WAIT are for.");

    /// <inheritdoc />
    public bool NeedsServerLinks => true;

    /// <inheritdoc />
    public TimeSpan Lasts => Hold;

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var deployment = context.Deployment;
        if (deployment.Strategy is not RedisHaStrategy topology || !deployment.Spec.ProxyServerLinks)
        {
            throw new LabException($"{FaultName} needs a Sentinel deployment with its server links proxied: --strategy {string.Join(", ", LabStrategies.All.OfType<RedisHaStrategy>().Select(static s => s.Name))} (not {deployment.Strategy.Name}).");
        }

        var services = deployment.Services;
        var master = await topology.FindMasterAsync(services, ct).ConfigureAwait(false);
        var minority = deployment.Nodes.Take(Math.Max(1, deployment.Nodes.Count / 3)).ToList();
        var majority = deployment.Nodes.Skip(minority.Count).ToList();
        if (majority.Count == 0)
        {
            throw new LabException($"{FaultName} needs at least 2 nodes: one beside the master, one beside the sentinels.");
        }

        var sideA = new HashSet<string>(StringComparer.Ordinal) { master.Service.Name };
        sideA.UnionWith(minority.Select(static n => n.Name));
        var cut = deployment.Links.All
            .Where(l => l.From != RoutedFront.UnknownSource && sideA.Contains(l.From) != sideA.Contains(l.To))
            .ToList();

        using var http = NodeSession.CreateClient();
        var probe = new NodeSession(http, CallTimeout);
        var node = minority[0].Url;
        var signedIn = await probe.SignUpAndInAsync(node, "split-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3)), "split-Password-1", ct).ConfigureAwait(false);
        var (status, before) = signedIn ? await probe.IncrementCounterAsync(node, ct).ConfigureAwait(false) : (0, -1L);
        var unattributedBefore = deployment.Links.Fronts.Sum(static f => f.Unknown);

        context.Striking();
        var since = time.GetTimestamp();
        LabLinks.Apply(cut, LinkFaults.Blackhole);
        context.Log.Info($"{FaultName}: cut [{string.Join(", ", sideA.Order(StringComparer.Ordinal))}] off from the rest ({cut.Count} links) for {Hold.TotalSeconds:0.#} s");
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writes = status == 200 ? ProbeAsync(probe, node, since, stopProbe.Token) : Task.FromResult(new List<(double At, bool Acknowledged)>());
        var failover = FailoverWatch.WaitAsync(topology, services, master, since, Hold, time, ct);
        TimeSpan held;
        try
        {
            await Task.Delay(Hold, time, ct).ConfigureAwait(false);
        }
        finally
        {
            // Healed whatever happens: a cut link must never outlive the fault.
            await stopProbe.CancelAsync().ConfigureAwait(false);
            LabLinks.Apply(cut, LinkFaults.None);
            held = time.GetElapsedTime(since);
        }

        var tried = await writes.ConfigureAwait(false);
        var (successor, failoverAfter) = await failover.ConfigureAwait(false);
        var healedAt = time.GetTimestamp();
        var rejoined = await WaitRejoinedAsync(master.Service, healedAt, ct).ConfigureAwait(false);
        var acknowledged = tried.Where(static w => w.Acknowledged).ToList();
        var after = status == 200 ? await ReadAfterHealAsync(probe, majority[0].Url, ct).ConfigureAwait(false) : -1;
        var lost = before >= 0 && after >= 0 ? Math.Max(0, before + acknowledged.Count + 1 - after) : 0;
        var check = new SplitBrainCheck
        {
            MinorityNodes = [.. minority.Select(static n => n.Name)],
            WritesTried = tried.Count,
            WritesAcknowledged = acknowledged.Count,
            LastAcknowledgedAfterSeconds = acknowledged.Count == 0 ? 0 : Math.Round(acknowledged.Max(static w => w.At), 2),
            AcknowledgedWritesLost = lost,
            OldMasterRejoinedAfterSeconds = rejoined is { } r ? Math.Round(r.TotalSeconds, 2) : null,
            UnattributedConnections = deployment.Links.Fronts.Sum(static f => f.Unknown) - unattributedBefore,
        };
        var detail = string.Join("; ",
            string.Create(CultureInfo.InvariantCulture, $"cut {master.Service.Name} and {string.Join(", ", check.MinorityNodes)} off from the replicas, the sentinels and the other nodes ({cut.Count} links) for {held.TotalSeconds:0.0} s, then healed"),
            successor is null ? "no replica took over" : string.Create(CultureInfo.InvariantCulture, $"{successor.Name} took over after {failoverAfter.TotalSeconds:0.00} s"),
            string.Create(CultureInfo.InvariantCulture, $"through {check.MinorityNodes[0]} the old master acknowledged {check.WritesAcknowledged} of {check.WritesTried} probe writes, the last {check.LastAcknowledgedAfterSeconds:0.0} s after the cut; {lost} of them were gone after the heal"),
            rejoined is { } j ? string.Create(CultureInfo.InvariantCulture, $"{master.Service.Name} was a replica in sync {j.TotalSeconds:0.0} s after the heal") : $"{master.Service.Name} was not a replica in sync {RejoinBound.TotalSeconds:0} s after the heal");
        context.Log.Info(detail);
        return new FaultOutcome(master.Service.Name, detail)
        {
            FailoverSeconds = successor is null ? null : Math.Round(failoverAfter.TotalSeconds, 2),
            Successor = successor?.Name,
            HeldSeconds = Math.Round(held.TotalSeconds, 2),
            LinksHit = cut.Count,
            MinorityWritesAcceptedSeconds = check.LastAcknowledgedAfterSeconds,
            SplitBrain = check,
        };
    }

    /// <inheritdoc />
    public Task RecoverAsync(FaultContext context, FaultOutcome outcome, CancellationToken ct)
    {
        LabLinks.Apply(context.Deployment.Links.All, LinkFaults.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Services.FirstOrDefault(s => string.Equals(s.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;

    private async Task<List<(double At, bool Acknowledged)>> ProbeAsync(NodeSession probe, Uri node, long since, CancellationToken ct)
    {
        var writes = new List<(double, bool)>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (status, _) = await probe.IncrementCounterAsync(node, ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                {
                    break; // cut off by the heal: not counted
                }

                writes.Add((time.GetElapsedTime(since).TotalSeconds, status == 200));
                await Task.Delay(ProbeEvery, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The heal.
        }

        return writes;
    }

    private async Task<TimeSpan?> WaitRejoinedAsync(LabService oldMaster, long healedAt, CancellationToken ct)
    {
        while (time.GetElapsedTime(healedAt) < RejoinBound)
        {
            try
            {
                var replication = await RedisInfo.ReadAsync(oldMaster.Port, "replication", ct).ConfigureAwait(false);
                if (replication.GetValueOrDefault("role") == "slave" && replication.GetValueOrDefault("master_link_status") == "up")
                {
                    return time.GetElapsedTime(healedAt);
                }
            }
            catch (IOException)
            {
                // Not answering yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<long> ReadAfterHealAsync(NodeSession probe, Uri node, CancellationToken ct)
    {
        // The probe's counter as the healed cluster holds it: one more increment through a node of the majority.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var (status, value) = await probe.IncrementCounterAsync(node, ct).ConfigureAwait(false);
            if (status == 200)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, ct).ConfigureAwait(false);
        }

        return -1;
    }
}
