using System.Collections.Concurrent;

namespace Stickless.Lab.Deployment.Replication;

/// <summary>
/// One <see cref="PeerLink"/> per ordered pair of nodes of a deployment (node A's calls to node B go through link A→B),
/// so the partition fault can cut any set of directions. Found again by the deployment's run directory.
/// </summary>
internal sealed class PeerLinks : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, PeerLinks> ByRunDirectory = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), PeerLink> _links = [];

    private PeerLinks(IReadOnlyList<LabNodePlan> nodes)
    {
        foreach (var from in nodes)
        {
            foreach (var to in nodes.Where(n => n.Name != from.Name))
            {
                _links[(from.Name, to.Name)] = new PeerLink(to.Port);
            }
        }
    }

    /// <summary>Starts the links of a deployment (replacing, and closing, any left from an earlier one in the same run directory).</summary>
    public static async Task<PeerLinks> StartAsync(string runDirectory, IReadOnlyList<LabNodePlan> nodes)
    {
        if (ByRunDirectory.TryRemove(runDirectory, out var old))
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }

        var links = new PeerLinks(nodes);
        ByRunDirectory[runDirectory] = links;
        return links;
    }

    /// <summary>The links of the deployment in <paramref name="runDirectory"/>, or null when its peers talk directly.</summary>
    public static PeerLinks? Find(string runDirectory) => ByRunDirectory.GetValueOrDefault(runDirectory);

    /// <summary>Closes the links of the deployment in <paramref name="runDirectory"/>, if any.</summary>
    public static async Task CloseAsync(string runDirectory)
    {
        if (ByRunDirectory.TryRemove(runDirectory, out var links))
        {
            await links.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The address <paramref name="from"/> calls <paramref name="to"/> at.</summary>
    public string UrlFor(string from, LabNodePlan to) => $"http://127.0.0.1:{_links[(from, to.Name)].Port}";

    /// <summary>Cuts every link between the two groups, both ways.</summary>
    public void Partition(IReadOnlyCollection<string> sideA, IReadOnlyCollection<string> sideB)
    {
        foreach (var ((from, to), link) in _links)
        {
            if ((sideA.Contains(from) && sideB.Contains(to)) || (sideB.Contains(from) && sideA.Contains(to)))
            {
                link.Cut();
            }
        }
    }

    /// <summary>Heals every cut link.</summary>
    public async Task HealAsync()
    {
        foreach (var link in _links.Values.Where(l => l.IsCut))
        {
            await link.HealAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Bytes dropped by cut links so far.</summary>
    public long BytesDropped => _links.Values.Sum(l => l.BytesDropped);

    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links.Values)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
