using Stickless.Lab.Dashboard;
using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Commands;

/// <summary>
/// <c>stickless up</c>: cleans what a crashed lab left, starts one strategy's deployment and the dashboard,
/// prints the addresses, and runs until Ctrl-C or <c>stickless down</c>; then stops everything by pid.
/// </summary>
internal static class UpCommand
{
    /// <summary>Runs the command; answers the exit code (0 stopped on request, 1 failed, 130 interrupted during start).</summary>
    public static async Task<int> RunAsync(UpArguments args, ILabLog log, TextWriter output, CancellationToken stopping)
    {
        var paths = LabPaths.Resolve(args.LabDirectory);
        var strategy = LabStrategies.Get(args.Strategy);
        using var claim = LabInstance.Claim(paths.PidDirectory, $"stickless up --strategy {strategy.Name}");
        var swept = await LeftoverSweeper.SweepAsync(paths.PidDirectory, log, CancellationToken.None).ConfigureAwait(false);
        if (swept > 0)
        {
            log.Info($"stopped {swept} leftover process(es) of an earlier lab");
        }

        LabDeployment? deployment = null;
        LabDashboard? dashboard = null;
        try
        {
            var spec = new DeploymentSpec(strategy.Name, args.Nodes, paths.RunDirectory(strategy.Name), args.Port == 0 ? null : args.Port)
            {
                Paths = paths,
            };
            deployment = await LabDeployment.StartAsync(spec, log, stopping).ConfigureAwait(false);
            var dashboardPort = args.DashboardPort != 0 && PortAllocator.IsFree(args.DashboardPort) ? args.DashboardPort : 0;
            dashboard = await LabDashboard.StartAsync(deployment, dashboardPort, args.Probe, stopping).ConfigureAwait(false);
            WriteState(paths, deployment, dashboard);
            PrintReady(output, deployment, dashboard);

            try
            {
                await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }

            log.Info("stopping: every process the lab started, by pid");
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            log.Info("interrupted during start: stopping what was started");
            return 130;
        }
        finally
        {
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync().ConfigureAwait(false);
            }

            if (deployment is not null)
            {
                await deployment.DisposeAsync().ConfigureAwait(false);
            }

            PidFile.Delete(paths.StateFile);
            log.Info("stopped");
        }
    }

    private static void WriteState(LabPaths paths, LabDeployment deployment, LabDashboard dashboard)
    {
        var processes = new Dictionary<string, int>(StringComparer.Ordinal) { ["haproxy"] = deployment.HaproxyPid };
        foreach (var node in deployment.Nodes)
        {
            processes[node.Name] = node.Pid;
        }

        foreach (var service in deployment.Services)
        {
            processes[service.Name] = service.Pid;
        }

        new LabState(deployment.Strategy.Name, Environment.ProcessId, deployment.FrontendUrl.ToString(), dashboard.Url.ToString(),
            deployment.StatsUrl.ToString(), deployment.RunDirectory, processes).Write(paths.StateFile);
    }

    private static void PrintReady(TextWriter output, LabDeployment deployment, LabDashboard dashboard)
    {
        output.WriteLine();
        output.WriteLine($"Stickless lab is up: {deployment.Strategy.Name}, {deployment.Nodes.Count} Festa node(s) behind HAProxy.");
        output.WriteLine($"  {deployment.Strategy.Description}");
        output.WriteLine();
        output.WriteLine($"  Open Festa   {deployment.FrontendUrl}   (sign up, or log in as a demo user)");
        output.WriteLine($"  Dashboard    {dashboard.Url}");
        output.WriteLine($"  HAProxy      {deployment.StatsUrl}");
        output.WriteLine($"  Logs         {Path.Combine(deployment.RunDirectory, "logs")}");
        output.WriteLine();
        output.WriteLine("Ctrl-C (or `stickless down` in another terminal) stops everything.");
        output.Flush();
    }
}
