using Stickless.Lab.Network;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Deployment;

/// <summary>What a strategy gets to start its services and configure its nodes.</summary>
internal sealed class StrategyContext
{
    internal StrategyContext(string runDirectory, ILabLog log, PortAllocator ports, IReadOnlyList<LabNodePlan> nodes,
        IReadOnlyDictionary<string, string> tools, ProcessSupervisor supervisor)
    {
        RunDirectory = runDirectory;
        Log = log;
        Ports = ports;
        Nodes = nodes;
        Tools = tools;
        Supervisor = supervisor;
    }

    /// <summary>The deployment's run directory: a strategy writes its configuration files and data folders under it.</summary>
    public string RunDirectory { get; }

    /// <summary>Where to say what it is doing.</summary>
    public ILabLog Log { get; }

    /// <summary>Free loopback ports.</summary>
    public PortAllocator Ports { get; }

    /// <summary>Every node of the deployment (names and ports are known before any starts: peers can be listed).</summary>
    public IReadOnlyList<LabNodePlan> Nodes { get; }

    /// <summary>The full path of each required tool, by executable name.</summary>
    public IReadOnlyDictionary<string, string> Tools { get; }

    /// <summary>The services the strategy started, once <see cref="ILabStrategy.StartServicesAsync"/> has returned.</summary>
    public IReadOnlyList<LabService> Services { get; internal set; } = [];

    /// <summary>The deployment's proxied links (empty unless the run asked for proxies, or the strategy placed its own).</summary>
    public LabLinks Links { get; init; } = new();

    /// <summary>How the strategy's servers keep data on disk, for strategies that <see cref="ILabStrategy.SupportsPersistence"/>; null for their default.</summary>
    public RedisPersistence? Persistence { get; init; }

    /// <summary>True when the run asked for proxies on every link of the strategy's servers (<see cref="DeploymentSpec.ProxyServerLinks"/>).</summary>
    public bool ProxyServerLinks { get; init; }

    internal ProcessSupervisor Supervisor { get; }

    /// <summary>The deployment's processes running now, pid → name (<c>node1</c>, <c>redis2</c>, <c>sentinel3</c>).</summary>
    public IReadOnlyDictionary<int, string> ProcessNames() =>
        Supervisor.Processes.Where(static p => p.IsAlive).GroupBy(static p => p.Pid).ToDictionary(static g => g.Key, static g => g.First().Spec.Name);

    /// <summary>
    /// The endpoint <paramref name="node"/> must use for <paramref name="service"/>: the fault proxy's when that link is
    /// proxied, else the service's own (<c>127.0.0.1:port</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No service of that name has started.</exception>
    public string EndpointFor(LabNodePlan node, string service) =>
        Links.Find(node.Name, service)?.Proxy.Endpoint
        ?? Services.FirstOrDefault(s => s.Name == service)?.Endpoint
        ?? throw new InvalidOperationException($"no service named '{service}' has started.");

    /// <summary>Starts a service process (pid file, log under the run directory) and waits until <paramref name="waitReady"/> returns.</summary>
    /// <param name="name">The role, unique in the deployment (<c>redis</c>, <c>sentinel1</c>).</param>
    /// <param name="port">Its main port, for the dashboard and faults.</param>
    /// <param name="executable">The program (a key of <see cref="Tools"/> or a full path).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="waitReady">Waits until it serves; see <see cref="Readiness"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <param name="announcedPort">The port the service is known by to others, when a <see cref="Network.RoutedFront"/> stands in front of it.</param>
    public async Task<LabService> StartServiceAsync(string name, int port, string executable, IReadOnlyList<string> arguments,
        Func<SupervisedProcess, CancellationToken, Task> waitReady, CancellationToken cancellationToken, int? announcedPort = null)
    {
        var spec = new ProcessSpec(name, Tools.GetValueOrDefault(executable, executable), arguments,
            Path.Combine(RunDirectory, "logs", name + ".log"), RunDirectory);
        var process = await Supervisor.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        var service = new LabService(name, port, process, waitReady) { AnnouncedPort = announcedPort };
        await service.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        Log.Info($"{name} ready on {service.Endpoint} (pid {process.Pid})");
        return service;
    }
}
