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
        lock (gate)
        {
            placed = [.. links];
            links.Clear();
        }

        foreach (var link in placed)
        {
            await link.Proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}
