using System.Globalization;
using System.Text;
using Stickless.Lab.Network;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Deployment;

/// <summary>
/// A running deployment of one strategy: its servers, N Festa nodes and HAProxy in front, all real processes on
/// loopback ports with pid files. Disposing it stops every process it started, by pid, and waits for each exit.
/// </summary>
internal sealed class LabDeployment : IAsyncDisposable
{
    /// <summary>PBKDF2 iterations the lab's Festa nodes hash new passwords with (see <see cref="StartNodesAsync"/>).</summary>
    internal const int LabPasswordIterations = 10_000;

    private readonly ProcessSupervisor supervisor;
    private readonly StrategyContext context;
    private readonly HttpClient http;
    private int disposed;

    private LabDeployment(DeploymentSpec spec, ILabStrategy strategy, ProcessSupervisor supervisor, StrategyContext context, HttpClient http)
    {
        Spec = spec;
        Strategy = strategy;
        this.supervisor = supervisor;
        this.context = context;
        this.http = http;
    }

    /// <summary>What was asked for.</summary>
    public DeploymentSpec Spec { get; }

    /// <summary>The strategy deployed.</summary>
    public ILabStrategy Strategy { get; }

    /// <summary>HAProxy's front end: where browsers and the bench send requests.</summary>
    public Uri FrontendUrl { get; private set; } = null!;

    /// <summary>HAProxy's stats page (add <c>;csv</c> for CSV).</summary>
    public Uri StatsUrl { get; private set; } = null!;

    /// <summary>The Festa nodes.</summary>
    public IReadOnlyList<LabNode> Nodes { get; private set; } = [];

    /// <summary>The servers the strategy runs beside the nodes (redis-server, …).</summary>
    public IReadOnlyList<LabService> Services => context.Services;

    /// <summary>The proxied links (node → store when <see cref="DeploymentSpec.ProxyStoreLinks"/>); empty otherwise.</summary>
    public LabLinks Links => context.Links;

    /// <summary>What the strategy was given: for strategy-specific looks at its servers (round trips, item counts).</summary>
    internal StrategyContext Context => context;

    /// <summary>HAProxy's process.</summary>
    public int HaproxyPid { get; private set; }

    /// <summary>The live bench figures the dashboard shows; a bench on this deployment updates them.</summary>
    public LiveBenchCounters LiveCounters { get; } = new();

    /// <summary>The run directory (configuration, users file, logs).</summary>
    public string RunDirectory => context.RunDirectory;

    /// <summary>Builds Festa (or the strategy's peer application) if needed, starts the strategy's servers, the nodes and HAProxy, and waits until HAProxy sees every node up.</summary>
    /// <exception cref="LabException">Something did not start; everything started so far has been stopped.</exception>
    public static async Task<LabDeployment> StartAsync(DeploymentSpec spec, ILabLog log, CancellationToken cancellationToken)
    {
        if (spec.Nodes is < 1 or > 16)
        {
            throw new LabException($"--nodes must be between 1 and 16 (was {spec.Nodes}).");
        }

        var strategy = LabStrategies.Get(spec.Strategy);
        if (spec.Persistence is { } persistence && !strategy.SupportsPersistence)
        {
            throw new LabException($"--persistence {persistence.Name}: the {strategy.Name} strategy has no persistence setting (redis has).");
        }

        if (spec.ProxyServerLinks && !strategy.SupportsServerLinks)
        {
            throw new LabException($"the {strategy.Name} strategy cannot put fault proxies on its servers' links (these can: {string.Join(", ", LabStrategies.All.Where(static s => s.SupportsServerLinks).Select(static s => s.Name))}).");
        }

        if (spec.ProxyStoreLinks && strategy.StoreServices.Count == 0)
        {
            throw new LabException($"the {strategy.Name} strategy declares no store links to put fault proxies on (these do: {LabStrategies.WithStoreLinks}).");
        }
        var paths = spec.Paths ?? LabPaths.Resolve();
        var tools = await Prerequisites.EnsureAsync([LabTool.Haproxy, .. strategy.RequiredTools, .. strategy.NodeApplication.RequiredTools], log, cancellationToken).ConfigureAwait(false);
        var program = await strategy.NodeApplication.PrepareAsync(paths, tools, log, cancellationToken).ConfigureAwait(false);

        var runDirectory = Path.GetFullPath(spec.RunDirectory);
        if (Directory.Exists(runDirectory))
        {
            Directory.Delete(runDirectory, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(runDirectory, "logs"));

        var ports = new PortAllocator();
        var frontendPort = spec.FrontendPort is { } asked and > 0
            ? ports.TryTake(asked) ? asked : throw new LabException($"port {asked} is in use; choose another with --port.")
            : ports.Next();
        var statsPort = ports.Next();
        var plans = Enumerable.Range(1, spec.Nodes).Select(i => new LabNodePlan(i, $"node{i}", ports.Next())).ToList();

        // Pid files are named after the run directory (redis, bench-redis, …): an up and a bench can share a lab folder.
        var supervisor = new ProcessSupervisor(paths.PidDirectory, Path.GetFileName(runDirectory.TrimEnd('/')));
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });
        var context = new StrategyContext(runDirectory, log, ports, plans, tools, supervisor)
        {
            Links = new LabLinks(nextPort: ports.Next),
            Persistence = spec.Persistence,
            ProxyServerLinks = spec.ProxyServerLinks,
        };
        var deployment = new LabDeployment(spec, strategy, supervisor, context, http)
        {
            FrontendUrl = new Uri($"http://127.0.0.1:{frontendPort}/"),
            StatsUrl = new Uri($"http://127.0.0.1:{statsPort}{HaproxyConfiguration.StatsPath}"),
        };

        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(spec.StartTimeout);
        try
        {
            log.Info($"strategy {strategy.Name}: {spec.Nodes} node(s), run directory {runDirectory}");
            context.Services = await strategy.StartServicesAsync(context, startTimeout.Token).ConfigureAwait(false);
            if (spec.ProxyStoreLinks)
            {
                deployment.PlaceStoreProxies();
            }

            await deployment.StartNodesAsync(program, startTimeout.Token).ConfigureAwait(false);
            await deployment.StartHaproxyAsync(tools[LabTool.Haproxy.Executable], frontendPort, statsPort, startTimeout.Token).ConfigureAwait(false);
            return deployment;
        }
        catch (Exception exception)
        {
            await deployment.DisposeAsync().ConfigureAwait(false);
            if (exception is OperationCanceledException && startTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new LabException($"the deployment did not come up within {spec.StartTimeout.TotalSeconds:0} s; logs in {Path.Combine(runDirectory, "logs")}.", exception);
            }

            throw;
        }
    }

    /// <summary>How many live sessions the shared store holds; null when the strategy keeps them in node memory.</summary>
    public async Task<long?> CountStoredSessionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Strategy.CountStoredSessionsAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or OperationCanceledException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>HAProxy's view of the nodes (status, requests); empty when HAProxy does not answer.</summary>
    public Task<IReadOnlyList<HaproxyServerStats>> ReadHaproxyStatsAsync(CancellationToken cancellationToken) =>
        HaproxyStats.ReadAsync(http, StatsUrl, cancellationToken);

    /// <summary>Stops every process of the deployment (SIGTERM, then SIGKILL after 3 s: see <see cref="ProcessSupervisor"/>) and waits until each has exited.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await supervisor.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // After the processes: the nodes are gone before their store links are cut.
            await context.Links.DisposeAsync().ConfigureAwait(false);
            http.Dispose();
        }
    }

    private void PlaceStoreProxies()
    {
        foreach (var service in Strategy.StoreServices)
        {
            var target = context.Services.FirstOrDefault(s => s.Name == service)
                ?? throw new LabException($"the {Strategy.Name} strategy declares a store link to '{service}', but started no service of that name.");
            foreach (var node in context.Nodes)
            {
                var link = context.Links.Place(node.Name, service, target.Port);
                context.Log.Info($"{link.Name}: fault proxy on {link.Proxy.Endpoint} → {target.Endpoint}");
            }
        }
    }

    private async Task StartNodesAsync(LabNodeProgram program, CancellationToken cancellationToken)
    {
        var usersFile = Path.Combine(RunDirectory, "users.json");
        var nodes = new List<LabNode>();
        foreach (var plan in context.Nodes)
        {
            string[] arguments =
            [
                .. program.LeadingArguments,
                "--urls", plan.Url.ToString().TrimEnd('/'),
                $"--Festa:NodeName={plan.Name}",
                $"--Festa:UsersFile={usersFile}",

                // The lab measures session sharing, not password hashing: at OWASP's 600,000 PBKDF2 iterations
                // (Festa's default) each sign-in costs ~140 ms of a core, and on a 2-core machine the bench's
                // sign-ups and re-logins would dominate the figures. Never lower it outside a lab.
                $"--Festa:PasswordIterations={LabPasswordIterations}",
                .. Strategy.NodeConfiguration(context, plan).Select(pair => $"--{pair.Key}={pair.Value}"),
                .. (ReferenceEquals(Strategy.NodeApplication, DotnetNodeApplication.Festa) ? Spec.NodeSettings : []).Select(pair => $"--{pair.Key}={pair.Value}"),
                .. Spec.ExtraNodeConfiguration.Select(pair => $"--{pair.Key}={pair.Value}"),
            ];
            var spec = new ProcessSpec(plan.Name, program.FileName, arguments, Path.Combine(RunDirectory, "logs", plan.Name + ".log"), RunDirectory)
            {
                Environment = program.Environment,
            };
            await File.WriteAllTextAsync(Path.Combine(RunDirectory, plan.Name + ".args"), spec.CommandLine + "\n", cancellationToken).ConfigureAwait(false);
            var process = await supervisor.StartAsync(spec, cancellationToken).ConfigureAwait(false);
            nodes.Add(new LabNode(plan, process, WaitHealthyAsync));
        }

        Nodes = nodes;
        await Task.WhenAll(nodes.Select(n => WaitHealthyAsync(n, cancellationToken))).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            context.Log.Info($"{node.Name} healthy on {node.Url} (pid {node.Pid})");
        }
    }

    private Task WaitHealthyAsync(LabNode node, CancellationToken cancellationToken) =>
        Readiness.WaitAsync(node.Process, "answering /healthz", ct => Readiness.AnswersOkAsync(http, new Uri(node.Url, "healthz"), ct), cancellationToken);

    private async Task StartHaproxyAsync(string haproxy, int frontendPort, int statsPort, CancellationToken cancellationToken)
    {
        var configuration = Path.Combine(RunDirectory, "haproxy.cfg");
        await File.WriteAllTextAsync(configuration, HaproxyConfiguration.Render(frontendPort, statsPort, context.Nodes, Strategy.StickyRouting, (Strategy as Replication.IRouteCookieStrategy)?.RouteCookie),
            Encoding.ASCII, cancellationToken).ConfigureAwait(false);

        // -db: foreground, no daemon: the pid we hold is HAProxy's own.
        var process = await supervisor.StartAsync(
            new ProcessSpec("haproxy", haproxy, ["-db", "-f", configuration], Path.Combine(RunDirectory, "logs", "haproxy.log"), RunDirectory),
            cancellationToken).ConfigureAwait(false);
        HaproxyPid = process.Pid;
        await Readiness.WaitAsync(process, "seeing every node up", async ct =>
        {
            var servers = await HaproxyStats.ReadAsync(http, StatsUrl, ct).ConfigureAwait(false);
            return servers.Count == context.Nodes.Count && servers.All(s => s.IsUp)
                && await Readiness.AnswersOkAsync(http, new Uri(FrontendUrl, "healthz"), ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        context.Log.Info(string.Create(CultureInfo.InvariantCulture, $"haproxy ready on {FrontendUrl} (pid {HaproxyPid}, stats {StatsUrl})"));
    }
}
