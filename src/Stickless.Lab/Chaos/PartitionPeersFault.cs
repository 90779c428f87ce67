using System.Globalization;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Network;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>partition-peers</c>: cuts the peer links between two halves of the nodes (the first ⌈N/2⌉ and the rest) for
/// <see cref="DefaultHold"/> (longer than the replication store's 3 s failure detection, so each side declares the other
/// dead and serves alone), then heals. The links are the deployment's fault proxies between peers (the <c>-proxied</c>
/// and <c>-quorum</c> strategies place one per direction) and the cut is a black hole: as on a real network, what was
/// sent into it is held, not lost, and arrives at the heal unless the sender gave up. HAProxy still reaches every node,
/// so a user's requests land on both sides and its session is written on both. Beside the workload, a <see cref="HealProbe"/>
/// deletes sessions on one side and writes them on the other, and writes other sessions on both: after the heal no
/// deleted session may come back, conflicts are counted by the nodes, and every node must give the same answer.
/// </summary>
internal sealed class PartitionPeersFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "partition-peers";

    /// <summary>The name the replication lab used first; an alias.</summary>
    public const string OldName = "partition";

    /// <summary>How long the partition holds by default: failure detection (3 s), the probe's writes, and a few seconds of both sides serving.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromSeconds(8);

    /// <summary>The shortest hold that lets each side notice the cut before the probe writes (<c>--fault-for</c> is refused below it).</summary>
    public static readonly TimeSpan MinimumHold = TimeSpan.FromSeconds(4);

    /// <summary>How long the probe's writes wait after the cut: the replication store's DeadAfter (3 s) and a margin.</summary>
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(3.5);

    /// <summary>How long after the heal the nodes may take to agree on every probe session.</summary>
    private static readonly TimeSpan ConvergeBound = TimeSpan.FromSeconds(15);

    private readonly TimeProvider time;

    /// <summary>Creates the fault.</summary>
    /// <param name="hold">How long the cut holds; default <see cref="DefaultHold"/>. Below <see cref="MinimumHold"/> the probe writes before the sides have noticed the cut.</param>
    /// <param name="time">The clock of the hold; default the system's.</param>
    public PartitionPeersFault(TimeSpan? hold = null, TimeProvider? time = null)
    {
        Hold = hold ?? DefaultHold;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Cut the peer links between two halves of the nodes for {Hold.TotalSeconds:0.#} s (longer than failure detection), delete sessions on one side and write them on the other, then heal and check that nothing deleted came back.");

    /// <summary>How long the cut holds.</summary>
    public TimeSpan Hold { get; }

    /// <inheritdoc />
    public TimeSpan Lasts => Hold;

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var deployment = context.Deployment;
        if (deployment.Strategy is not ReplicationStrategy { ProxiesPeerLinks: true })
        {
            throw new LabException($"{FaultName} needs peer calls through the lab's fault proxies: run it with --strategy {string.Join(", ", LabStrategies.All.OfType<ReplicationStrategy>().Where(static s => s.ProxiesPeerLinks).Select(static s => s.Name))} (not {deployment.Strategy.Name}).");
        }

        var nodes = deployment.Nodes;
        var sideA = nodes.Take((nodes.Count + 1) / 2).ToList();
        var sideB = nodes.Skip(sideA.Count).ToList();
        if (sideB.Count == 0)
        {
            throw new LabException($"{FaultName} needs at least 2 nodes.");
        }

        var cut = CrossLinks(deployment.Links, [.. sideA.Select(static n => n.Name)], [.. sideB.Select(static n => n.Name)]);
        using var probe = new HealProbe();
        await probe.PrepareAsync(nodes, "heal-Password-1", ct).ConfigureAwait(false);

        context.Striking();
        var since = time.GetTimestamp();
        LabLinks.Apply(cut, LinkFaults.Blackhole);
        long held;
        try
        {
            await Task.Delay(Detection < Hold ? Detection : Hold, time, ct).ConfigureAwait(false);
            await probe.WriteAcrossAsync(sideA, sideB, ct).ConfigureAwait(false);
            var rest = Hold - time.GetElapsedTime(since);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            held = cut.Sum(static l => l.Proxy.Counters().Buffered);

            // Healed whatever happens: a cut link must never outlive the fault.
            LabLinks.Apply(cut, LinkFaults.None);
        }

        var heldFor = time.GetElapsedTime(since);
        var check = await probe.CheckAsync(nodes, ConvergeBound, ct).ConfigureAwait(false);
        var names = (string.Join(",", sideA.Select(static n => n.Name)), string.Join(",", sideB.Select(static n => n.Name)));
        var agreed = check.ConvergedAfterSeconds is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"every node agreed {s:0.0#} s after the heal")
            : string.Create(CultureInfo.InvariantCulture, $"{check.Diverged} probe sessions still answered differently by the nodes {ConvergeBound.TotalSeconds:0} s after the heal");
        var detail = string.Join("; ",
            string.Create(CultureInfo.InvariantCulture, $"cut the peer links [{names.Item1}] | [{names.Item2}] ({cut.Count} links) for {heldFor.TotalSeconds:0.0} s ({held:N0} bytes held in them at the heal), then healed"),
            string.Create(CultureInfo.InvariantCulture, $"probe: {check.DeletedOnOneSide} sessions deleted on one side ({check.WrittenAfterDeleteOnOtherSide} then written on the other), {check.Resurrected} came back"),
            string.Create(CultureInfo.InvariantCulture, $"{check.WrittenOnBothSides} written on both sides, {check.AcknowledgedWritesLost} acknowledged probe writes gone after the heal"),
            agreed);
        context.Log.Info(detail);
        return new FaultOutcome(names.Item2, detail)
        {
            HeldSeconds = Math.Round(heldFor.TotalSeconds, 2),
            LinksHit = cut.Count,
            Heal = check,
        };
    }

    /// <inheritdoc />
    public Task RecoverAsync(FaultContext context, FaultOutcome outcome, CancellationToken ct)
    {
        LabLinks.Apply(context.Deployment.Links.All, LinkFaults.None);
        return Task.CompletedTask;
    }

    /// <summary>The proxied links from one side to the other, both ways.</summary>
    internal static IReadOnlyList<ProxiedLink> CrossLinks(LabLinks links, IReadOnlyCollection<string> sideA, IReadOnlyCollection<string> sideB) =>
        [.. links.All.Where(l => (sideA.Contains(l.From) && sideB.Contains(l.To)) || (sideB.Contains(l.From) && sideA.Contains(l.To)))];
}
