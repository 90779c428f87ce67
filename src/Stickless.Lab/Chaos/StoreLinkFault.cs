using System.Globalization;
using Stickless.Lab.Deployment;
using Stickless.Lab.Network;

namespace Stickless.Lab.Chaos;

/// <summary>
/// A fault on the node → store links, through the fault proxies the run puts on them: the store stays up, the network to
/// it goes bad for some nodes or all, for a while, then heals. <c>slow-store</c> delays every reply (below or above the
/// store timeout); <c>blackhole-store</c> lets nothing through and answers nothing, so each call waits out its timeout.
/// Works on any strategy that declares store links (<see cref="ILabStrategy.StoreServices"/>).
/// </summary>
internal sealed class StoreLinkFault : IFault
{
    /// <summary>The name of the slow-store fault.</summary>
    public const string SlowStoreName = "slow-store";

    /// <summary>The name of the black-hole fault.</summary>
    public const string BlackholeStoreName = "blackhole-store";

    /// <summary>How long a link fault holds when <c>--fault-for</c> is not given.</summary>
    public static readonly TimeSpan DefaultHoldFor = TimeSpan.FromSeconds(5);

    /// <summary>The store's reply delay when <c>--latency</c> is not given: a quarter of the 2 s store timeout.</summary>
    public static readonly TimeSpan DefaultLatency = TimeSpan.FromMilliseconds(500);

    private readonly LinkFaults faults;
    private readonly string what;
    private readonly TimeProvider time;

    /// <summary>Creates a link fault.</summary>
    /// <param name="name">Its name on the command line.</param>
    /// <param name="description">One sentence for help and the report.</param>
    /// <param name="faults">What the links do while it holds.</param>
    /// <param name="what">What happens, for the report (<c>replies 500 ms late</c>).</param>
    /// <param name="holdFor">How long it holds before the links heal.</param>
    /// <param name="nodes">How many nodes' links it hits, from node1 on; null: every node.</param>
    /// <param name="time">The clock of the hold; default the system's.</param>
    public StoreLinkFault(string name, string description, LinkFaults faults, string what, TimeSpan holdFor, int? nodes, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(holdFor, TimeSpan.Zero);
        if (nodes is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(nodes), nodes, "a link fault hits at least one node.");
        }

        Name = name;
        Description = description;
        this.faults = faults;
        this.what = what;
        HoldFor = holdFor;
        Nodes = nodes;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>How long the fault holds before the links heal.</summary>
    public TimeSpan HoldFor { get; }

    /// <summary>The reply delay it adds (<c>slow-store</c>); null for a black hole.</summary>
    public TimeSpan? Latency { get; private init; }

    /// <summary>How many nodes' links it hits (from node1 on); null: every node.</summary>
    public int? Nodes { get; }

    /// <inheritdoc />
    public bool NeedsStoreLinks => true;

    /// <inheritdoc />
    public TimeSpan Lasts => HoldFor;

    /// <summary><c>slow-store</c>: every store reply <c>--latency</c> late (default 500 ms, ± <c>--jitter</c>).</summary>
    public static StoreLinkFault SlowStore(FaultSettings settings, TimeProvider? time = null)
    {
        var latency = settings.Latency ?? DefaultLatency;
        var jitter = settings.Jitter ?? TimeSpan.Zero;
        var what = jitter > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"store replies {latency.TotalMilliseconds:0} ms (± {jitter.TotalMilliseconds:0} ms) late")
            : string.Create(CultureInfo.InvariantCulture, $"store replies {latency.TotalMilliseconds:0} ms late");
        return new StoreLinkFault(
            SlowStoreName,
            "Delay every store reply by --latency (default 500 ms; the store timeout is 2 s) on the nodes' store links for --fault-for (default 5 s), then heal.",
            LinkFaults.SlowReplies(latency, jitter),
            what,
            settings.HoldFor ?? DefaultHoldFor,
            settings.Nodes,
            time)
        {
            Latency = latency,
        };
    }

    /// <summary><c>blackhole-store</c>: the store links accept and answer nothing.</summary>
    public static StoreLinkFault BlackholeStore(FaultSettings settings, TimeProvider? time = null) => new(
        BlackholeStoreName,
        "Black-hole the nodes' store links (connections accepted, nothing forwarded, nothing answered) for --fault-for (default 5 s), then heal.",
        LinkFaults.Blackhole,
        "store links black-holed",
        settings.HoldFor ?? DefaultHoldFor,
        settings.Nodes,
        time);

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var deployment = context.Deployment;
        var services = deployment.Strategy.StoreServices;
        if (services.Count == 0)
        {
            throw new LabException($"{Name} needs a strategy with store links ({LabStrategies.WithStoreLinks}), not {deployment.Strategy.Name}.");
        }

        var nodes = deployment.Nodes.Take(Nodes ?? int.MaxValue).Select(static n => n.Name).ToList();
        var targets = deployment.Links.Between(nodes, [.. services]);
        if (targets.Count == 0)
        {
            throw new LabException($"{Name}: the deployment has no fault proxies on its store links (the run must place them).");
        }

        var scope = string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", nodes)} ({nodes.Count} of {deployment.Nodes.Count} nodes)");
        context.Striking();
        var since = time.GetTimestamp();
        LabLinks.Apply(targets, faults);
        context.Log.Info($"{Name}: {what} on the links of {scope} for {HoldFor.TotalSeconds:0.#} s");
        try
        {
            await Task.Delay(HoldFor, time, ct).ConfigureAwait(false);
        }
        finally
        {
            // Healed whatever happens: a bad link must never outlive the fault.
            LabLinks.Apply(targets, LinkFaults.None);
        }

        var held = time.GetElapsedTime(since);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{what} on the store links of {scope} for {held.TotalSeconds:0.00} s, then healed");
        context.Log.Info(detail);
        return new FaultOutcome(string.Join(", ", targets.Select(static l => l.Name)), detail)
        {
            HeldSeconds = Math.Round(held.TotalSeconds, 2),
            LinksHit = targets.Count,
        };
    }

    /// <inheritdoc />
    public Task RecoverAsync(FaultContext context, FaultOutcome outcome, CancellationToken ct)
    {
        LabLinks.Apply(context.Deployment.Links.All, LinkFaults.None);
        return Task.CompletedTask;
    }
}
