using System.Globalization;
using Stickless.Lab.Deployment.Replication;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>partition</c>: cuts the peer links between two halves of the nodes (the first ⌈N/2⌉ and the rest) for
/// <see cref="Hold"/> (longer than the replication store's 3 s failure detection, so each side declares the other dead
/// and serves alone), then heals. HAProxy still reaches every node, so a user's requests land on both sides and its
/// session is written on both: what the heal keeps and loses (delete wins, conflicts counted) is the measurement. Needs
/// the strategy's peer calls to run through the lab's relays (<c>primary-backup-proxied</c>, <c>all-to-all-proxied</c>).
/// </summary>
internal sealed class PartitionFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "partition";

    /// <summary>How long the partition holds.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(6);

    /// <summary>How long after the heal the fault waits for the sides to reconcile before it reports.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "Cut the peer links between two halves of the nodes for 6 s (longer than failure detection), then heal.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var links = PeerLinks.Find(context.Deployment.RunDirectory)
            ?? throw new Deployment.LabException($"partition needs peer calls through the lab's relays: run it with --strategy primary-backup-proxied or all-to-all-proxied (not {context.Deployment.Strategy.Name}).");
        var names = context.Deployment.Nodes.Select(n => n.Name).ToList();
        var sideA = names.Take((names.Count + 1) / 2).ToList();
        var sideB = names.Skip(sideA.Count).ToList();
        links.Partition(sideA, sideB);
        try
        {
            await Task.Delay(Hold, ct).ConfigureAwait(false);
        }
        finally
        {
            // Healed whatever happens: a cut link must never outlive the run.
            await links.HealAsync().ConfigureAwait(false);
        }

        await Task.Delay(Settle, ct).ConfigureAwait(false);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"cut the peer links [{string.Join(",", sideA)}] | [{string.Join(",", sideB)}] for {Hold.TotalSeconds:0} s ({links.BytesDropped:N0} bytes dropped), then healed");
        context.Log.Info(detail);
        return new FaultOutcome(string.Join(",", sideB), detail);
    }
}
