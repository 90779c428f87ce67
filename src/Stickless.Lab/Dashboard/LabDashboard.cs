using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Dashboard;

/// <summary>
/// The lab's dashboard: one HTML page (no external resources) that polls <c>/api/state</c> every second. The lab
/// looks at the nodes once a second (their /healthz, HAProxy's stats CSV, the store's session count) and a
/// <see cref="SessionProbe"/> shows how one browser's requests are routed and whether each node knows its session.
/// </summary>
internal sealed class LabDashboard : IAsyncDisposable
{
    /// <summary>The header every action request carries (see the page's script).</summary>
    public const string ActionHeader = "X-Stickless-Lab";

    private static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(1);

    private readonly LabDeployment deployment;
    private readonly SessionProbe? probe;
    private readonly DashboardLoad load;
    private readonly HttpClient http = new(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromMilliseconds(800) };
    private readonly CancellationTokenSource stop = new();
    private WebApplication? app;
    private Task? monitor;
    private volatile DashboardState? state;

    private LabDashboard(LabDeployment deployment, bool withProbe)
    {
        this.deployment = deployment;
        probe = withProbe ? new SessionProbe(deployment.FrontendUrl) : null;
        load = new DashboardLoad(deployment);
    }

    /// <summary>The page's address.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Starts the dashboard of <paramref name="deployment"/> on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    /// <param name="deployment">What to show.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="withProbe">True to run the session probe (adds two requests a second through HAProxy).</param>
    /// <param name="cancellationToken">Ends the start.</param>
    public static async Task<LabDashboard> StartAsync(LabDeployment deployment, int port, bool withProbe, CancellationToken cancellationToken)
    {
        var dashboard = new LabDashboard(deployment, withProbe);
        try
        {
            await dashboard.StartServerAsync(port, cancellationToken).ConfigureAwait(false);
            dashboard.probe?.Start();
            dashboard.monitor = Task.Run(() => dashboard.MonitorAsync(dashboard.stop.Token), CancellationToken.None);
            return dashboard;
        }
        catch
        {
            await dashboard.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The state now (what <c>/api/state</c> answers).</summary>
    public async Task<DashboardState> GetStateAsync(CancellationToken cancellationToken) =>
        Compose(state ?? await LookAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (monitor is not null)
        {
            await monitor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await load.DisposeAsync().ConfigureAwait(false);
        if (probe is not null)
        {
            await probe.DisposeAsync().ConfigureAwait(false);
        }

        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task StartServerAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        app = builder.Build();

        var page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/api/state", async (CancellationToken ct) => Results.Json(await GetStateAsync(ct).ConfigureAwait(false)));

        // Actions change the deployment: they need a custom header, which a page of another origin cannot send
        // without a CORS preflight this server never grants.
        var actions = app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers.ContainsKey(ActionHeader) ? await next(context).ConfigureAwait(false) : Results.StatusCode(403));
        actions.MapPost("/nodes/{name}/kill", async (string name) =>
        {
            var node = deployment.Nodes.FirstOrDefault(n => n.Name == name);
            if (node is null)
            {
                return Results.NotFound();
            }

            await node.KillAsync().ConfigureAwait(false);
            return Results.NoContent();
        });
        actions.MapPost("/nodes/{name}/restart", (string name) =>
        {
            var node = deployment.Nodes.FirstOrDefault(n => n.Name == name);
            if (node is null)
            {
                return Results.NotFound();
            }

            // Restarting waits for /healthz, which takes seconds: answer now, the page shows it coming back.
            _ = Task.Run(async () =>
            {
                try
                {
                    await node.RestartAsync(stop.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is LabException or OperationCanceledException or InvalidOperationException)
                {
                    // The node card shows it dead or unhealthy; its log says why.
                }
            }, CancellationToken.None);
            return Results.Accepted();
        });
        actions.MapPost("/services/{name}/kill", async (string name) =>
        {
            var service = deployment.Services.FirstOrDefault(s => s.Name == name);
            if (service is null)
            {
                return Results.NotFound();
            }

            await service.KillAsync().ConfigureAwait(false);
            return Results.NoContent();
        });
        actions.MapPost("/load", (int? users, int? seconds) =>
            load.TryStart(Math.Clamp(users ?? 20, 1, 500), TimeSpan.FromSeconds(Math.Clamp(seconds ?? 20, 1, 600)))
                ? Results.Accepted()
                : Results.Conflict());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private static string ReadPage()
    {
        using var stream = typeof(LabDashboard).Assembly.GetManifestResourceStream("Stickless.Lab.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(LookInterval);
        try
        {
            do
            {
                try
                {
                    state = await LookAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One bad look (a node dying mid-probe) must not end the dashboard: look again next second.
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<DashboardState> LookAsync(CancellationToken cancellationToken)
    {
        var statsTask = deployment.ReadHaproxyStatsAsync(cancellationToken);
        var sessionsTask = deployment.CountStoredSessionsAsync(cancellationToken);
        var healthTasks = deployment.Nodes.Select(n => IsHealthyAsync(n, cancellationToken)).ToList();
        var stats = (await statsTask.ConfigureAwait(false)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var health = await Task.WhenAll(healthTasks).ConfigureAwait(false);
        var nodes = deployment.Nodes.Select((n, i) =>
        {
            var server = stats.GetValueOrDefault(n.Name);
            return new DashboardNode(n.Name, n.Url.ToString(), n.Pid, n.IsAlive, health[i],
                server?.Status ?? string.Empty, server?.TotalRequests ?? 0, server?.CurrentSessions ?? 0);
        }).ToList();
        var items = deployment.Strategy is IServiceItemCounter counter
            ? await counter.CountItemsAsync(deployment.Context, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, long>();
        var services = deployment.Services.Select(s => new DashboardService(s.Name, s.Endpoint, s.Pid, s.IsAlive, items.TryGetValue(s.Name, out var n) ? n : null)).ToList();
        var strategy = deployment.Strategy;
        return new DashboardState(strategy.Name, strategy.Description, strategy.WhatToWatch, strategy.SharesSessions, strategy.StickyRouting,
            deployment.FrontendUrl.ToString(), deployment.StatsUrl.ToString(), nodes, services,
            await sessionsTask.ConfigureAwait(false), EmptyProbe, deployment.LiveCounters.Snapshot(), DateTimeOffset.UtcNow);
    }

    private static DashboardProbe EmptyProbe { get; } = new(false, null, false, 0, 0, []);

    private DashboardState Compose(DashboardState looked) => looked with
    {
        Probe = probe is null ? EmptyProbe : new DashboardProbe(true, probe.UserName, probe.SignedIn, probe.Requests, probe.SignOuts, probe.Recent.Snapshot()),
        Bench = deployment.LiveCounters.Snapshot(),
    };

    private async Task<bool> IsHealthyAsync(LabNode node, CancellationToken cancellationToken)
    {
        if (!node.IsAlive)
        {
            return false;
        }

        try
        {
            using var response = await http.GetAsync(new Uri(node.Url, "healthz"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
