using System.Net;

namespace Stickless.Lab.Network;

/// <summary>
/// The proxied links of one deployment: one <see cref="FaultProxy"/> per (who connects, whom it reaches), placed by the
/// deployment on every node → store link when the run asks for it (<see cref="Deployment.DeploymentSpec.ProxyStoreLinks"/>),
/// or by a strategy between its own servers. Disposing it stops every proxy.
/// </summary>
internal sealed class LabLinks : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<ProxiedLink> links = [];
    private readonly List<RoutedFront> fronts = [];
    private readonly FaultProxyOptions options;
    private readonly Func<int>? nextPort;

    /// <summary>Creates an empty set.</summary>
    /// <param name="options">What its proxies use; default <see cref="FaultProxyOptions"/>.</param>
    /// <param name="nextPort">
    /// Where the proxies' ports come from: the deployment's port allocator, so that a proxy never takes a port handed to
    /// a node that has not bound it yet. Null (default): the kernel picks.
    /// </param>
    public LabLinks(FaultProxyOptions? options = null, Func<int>? nextPort = null)
    {
        this.options = options ?? new FaultProxyOptions();
        this.nextPort = nextPort;
    }

    /// <summary>Every proxied link, in the order placed.</summary>
    public IReadOnlyList<ProxiedLink> All
    {
        get
        {
            lock (gate)
            {
                return [.. links];
            }
        }
    }

    /// <summary>Puts a proxy on the link from <paramref name="from"/> to the service on loopback port <paramref name="port"/>.</summary>
    /// <exception cref="InvalidOperationException">That link already has a proxy.</exception>
    public ProxiedLink Place(string from, string to, int port)
    {
        lock (gate)
        {
            if (links.Any(l => l.From == from && l.To == to))
            {
                throw new InvalidOperationException($"the link {ProxiedLink.LinkName(from, to)} already has a proxy.");
            }

            var proxy = FaultProxy.Start(ProxiedLink.LinkName(from, to), new IPEndPoint(IPAddress.Loopback, port), options, nextPort?.Invoke() ?? 0);
            var link = new ProxiedLink(from, to, proxy);
            links.Add(link);
            return link;
        }
    }

    /// <summary>The routed fronts placed (<see cref="PlaceFront"/>), in the order placed.</summary>
    public IReadOnlyList<RoutedFront> Fronts
    {
        get
        {
            lock (gate)
            {
                return [.. fronts];
            }
        }
    }

    /// <summary>
    /// Puts a proxy on the link from each of <paramref name="sources"/> (and from <see cref="RoutedFront.UnknownSource"/>) to
    /// the server <paramref name="target"/> on loopback port <paramref name="upstreamPort"/>, and a <see cref="RoutedFront"/> on
    /// <paramref name="frontPort"/> that hands each connection to the link of the process that opened it: the address the
    /// server is to be known by.
    /// </summary>
    /// <param name="target">The server's name.</param>
    /// <param name="upstreamPort">The port it listens on.</param>
    /// <param name="frontPort">The port it is known by.</param>
    /// <param name="sources">Every process that may connect to it, by name.</param>
    /// <param name="candidates">The lab's processes now, pid → name (names as in <paramref name="sources"/>).</param>
    public RoutedFront PlaceFront(string target, int upstreamPort, int frontPort, IEnumerable<string> sources, Func<IReadOnlyDictionary<int, string>> candidates)
    {
        foreach (var source in sources.Append(RoutedFront.UnknownSource).Distinct(StringComparer.Ordinal).Where(s => s != target))
        {
            Place(source, target, upstreamPort);
        }

        var front = RoutedFront.Start(target, frontPort, candidates, source => Find(source, target)?.Proxy);
        lock (gate)
        {
            fronts.Add(front);
        }

        return front;
    }

    /// <summary>The proxied link from <paramref name="from"/> to <paramref name="to"/>, or null when that link is direct.</summary>
    public ProxiedLink? Find(string from, string to)
    {
        lock (gate)
        {
            return links.FirstOrDefault(l => l.From == from && l.To == to);
        }
    }

    /// <summary>The proxied links that reach one of <paramref name="services"/>, from any of <paramref name="from"/> (every origin when null).</summary>
    public IReadOnlyList<ProxiedLink> Between(IReadOnlyCollection<string>? from, IReadOnlyCollection<string> services)
    {
        lock (gate)
        {
            return [.. links.Where(l => services.Contains(l.To) && (from is null || from.Contains(l.From)))];
        }
    }

    /// <summary>Sets <paramref name="faults"/> on each of <paramref name="targets"/>.</summary>
    public static void Apply(IEnumerable<ProxiedLink> targets, LinkFaults faults)
    {
        foreach (var link in targets)
        {
            link.Proxy.Faults = faults;
        }
    }

    /// <summary>Stops every proxy (their connections are reset).</summary>
    public async ValueTask DisposeAsync()
    {
        ProxiedLink[] placed;
        RoutedFront[] routed;
        lock (gate)
        {
            placed = [.. links];
            links.Clear();
            routed = [.. fronts];
            fronts.Clear();
        }

        foreach (var front in routed)
        {
            await front.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var link in placed)
        {
            await link.Proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}
