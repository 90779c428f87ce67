using System.Diagnostics;
using System.Globalization;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Chaos;

/// <summary>
/// The lab's own sessions across a peer partition, driven straight at the nodes of each side: before the cut it signs in
/// <see cref="ProbesPerKind"/> sessions of each kind; while the partition holds it logs the first kind out on side A and
/// then writes to them on side B (a delete racing a later write), and writes a different item to each session of the
/// second kind on both sides (a conflict); after the heal it asks every node about every probe session until they all
/// agree. What the nodes answer is the <see cref="HealCheck"/>: nothing deleted may come back, and no two nodes may
/// disagree for good.
/// </summary>
internal sealed class HealProbe : IDisposable
{
    /// <summary>Probe sessions of each kind (deleted on one side; written on both).</summary>
    public const int ProbesPerKind = 6;

    private const int RacingWriteEvent = 1;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient http = NodeSession.CreateClient();
    private readonly List<NodeSession> deleted = [];
    private readonly List<NodeSession> conflicting = [];
    private readonly Dictionary<NodeSession, (int A, int B)> acknowledged = [];
    private readonly HashSet<NodeSession> deletedForSure = [];
    private int writtenAfterDelete;

    /// <summary>How many probe sessions could be signed in before the cut.</summary>
    public int Prepared => deleted.Count + conflicting.Count;

    /// <summary>Signs in the probe sessions through the nodes of both sides in turn (before the cut).</summary>
    public async Task PrepareAsync(IReadOnlyList<LabNode> nodes, string password, CancellationToken ct)
    {
        var run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        for (var i = 0; i < ProbesPerKind * 2; i++)
        {
            var session = new NodeSession(http, CallTimeout);
            var node = nodes[i % nodes.Count];
            if (await session.SignUpAndInAsync(node.Url, string.Create(CultureInfo.InvariantCulture, $"heal-{run}-{i}"), password, ct).ConfigureAwait(false))
            {
                (i % 2 == 0 ? deleted : conflicting).Add(session);
            }
        }
    }

    /// <summary>
    /// While the partition holds: logs the first kind out on side A, then writes to them on side B; writes a different
    /// wishlist item to each session of the second kind on each side.
    /// </summary>
    public async Task WriteAcrossAsync(IReadOnlyList<LabNode> sideA, IReadOnlyList<LabNode> sideB, CancellationToken ct)
    {
        for (var i = 0; i < deleted.Count; i++)
        {
            var session = deleted[i];
            if (await session.LogOutAsync(sideA[i % sideA.Count].Url, ct).ConfigureAwait(false) != 204)
            {
                continue;
            }

            deletedForSure.Add(session);
            if (await session.AddToWishlistAsync(sideB[i % sideB.Count].Url, RacingWriteEvent, ct).ConfigureAwait(false) == 200)
            {
                writtenAfterDelete++;
            }
        }

        for (var i = 0; i < conflicting.Count; i++)
        {
            var session = conflicting[i];
            var a = 10 + i;
            var b = 100 + i;
            var onA = await session.AddToWishlistAsync(sideA[i % sideA.Count].Url, a, ct).ConfigureAwait(false) == 200;
            var onB = await session.AddToWishlistAsync(sideB[i % sideB.Count].Url, b, ct).ConfigureAwait(false) == 200;
            acknowledged[session] = (onA ? a : 0, onB ? b : 0);
        }
    }

    /// <summary>After the heal: asks every live node about every probe session until all agree, or <paramref name="bound"/> has passed.</summary>
    public async Task<HealCheck> CheckAsync(IReadOnlyList<LabNode> nodes, TimeSpan bound, CancellationToken ct)
    {
        var since = Stopwatch.GetTimestamp();
        double? converged = null;
        Look look;
        while (true)
        {
            look = await LookAsync(nodes.Where(static n => n.IsAlive).ToList(), ct).ConfigureAwait(false);
            if (look.Diverged == 0)
            {
                converged = Math.Round(Stopwatch.GetElapsedTime(since).TotalSeconds, 2);
                break;
            }

            if (Stopwatch.GetElapsedTime(since) >= bound)
            {
                break;
            }

            await Task.Delay(Poll, ct).ConfigureAwait(false);
        }

        var bothSides = acknowledged.Count(static p => p.Value.A != 0 && p.Value.B != 0);
        var lost = 0;
        var keptBoth = 0;
        foreach (var (session, (a, b)) in acknowledged)
        {
            var items = look.Wishlists.GetValueOrDefault(session) ?? [];
            var keptA = a == 0 || items.Contains(a.ToString(CultureInfo.InvariantCulture));
            var keptB = b == 0 || items.Contains(b.ToString(CultureInfo.InvariantCulture));
            lost += (keptA ? 0 : 1) + (keptB ? 0 : 1);
            keptBoth += a != 0 && b != 0 && keptA && keptB ? 1 : 0;
        }

        return new HealCheck
        {
            DeletedOnOneSide = deletedForSure.Count,
            WrittenAfterDeleteOnOtherSide = writtenAfterDelete,
            Resurrected = look.Resurrected,
            WrittenOnBothSides = bothSides,
            KeptBothWrites = keptBoth,
            AcknowledgedWritesLost = lost,
            Diverged = look.Diverged,
            ConvergedAfterSeconds = converged,
        };
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private async Task<Look> LookAsync(IReadOnlyList<LabNode> nodes, CancellationToken ct)
    {
        var resurrected = 0;
        var diverged = 0;
        foreach (var session in deletedForSure)
        {
            var statuses = new List<int>();
            foreach (var node in nodes)
            {
                statuses.Add((await session.MeAsync(node.Url, ct).ConfigureAwait(false)).Status);
            }

            resurrected += statuses.Contains(200) ? 1 : 0;
            diverged += statuses.Distinct().Count() == 1 && IsAnswer(statuses[0]) ? 0 : 1;
        }

        var wishlists = new Dictionary<NodeSession, IReadOnlyList<string>>();
        foreach (var session in conflicting)
        {
            var answers = new List<string>();
            var answered = true;
            IReadOnlyList<string>? first = null;
            foreach (var node in nodes)
            {
                var (status, items) = await session.WishlistAsync(node.Url, ct).ConfigureAwait(false);
                answers.Add(status == 200 ? string.Join(',', items ?? []) : string.Create(CultureInfo.InvariantCulture, $"status {status}"));
                answered &= IsAnswer(status);
                first ??= items;
            }

            wishlists[session] = first ?? [];
            diverged += answers.Distinct(StringComparer.Ordinal).Count() == 1 && answered ? 0 : 1;
        }

        return new Look(resurrected, diverged, wishlists);
    }

    // A node that failed to answer (no answer, 5xx) cannot be said to agree.
    private static bool IsAnswer(int status) => status is > 0 and < 500;

    private sealed record Look(int Resurrected, int Diverged, IReadOnlyDictionary<NodeSession, IReadOnlyList<string>> Wishlists);
}
