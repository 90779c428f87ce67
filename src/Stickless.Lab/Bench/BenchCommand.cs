using Stickless.Lab.Bench.Compare;
using Stickless.Lab.Deployment;
using Stickless.Lab.Report;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>
/// <c>stickless bench</c>: for each strategy in turn, start the deployment, drive the virtual
/// users through HAProxy (watchable on a live dashboard), stop everything; then write <c>results.json</c>
/// and <c>report.html</c>.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Runs the command on the console.</summary>
    /// <returns>0 on success, 1 when a run failed, 2 for bad arguments.</returns>
    public static Task<int> RunAsync(BenchArguments args, CancellationToken ct) =>
        RunAsync(args, ConsoleLabLog.Instance, Console.Error, Console.Out, TimeProvider.System, ct);

    /// <summary>Runs the command with its writers and clock given (tests).</summary>
    public static async Task<int> RunAsync(
        BenchArguments args, ILabLog log, TextWriter progress, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        if (args.Alternates)
        {
            return await ComparisonBench.RunAsync(args, log, progress, output, time, ct).ConfigureAwait(false);
        }

        var runner = new BenchRunner(log, progress, time);
        var runs = new List<RunResult>();
        var exitCode = 0;
        try
        {
            var paths = LabPaths.Resolve(args.LabDirectory);
            IReadOnlyList<RedisPersistence?> persistences = args.Persistence.Count == 0 ? [null] : [.. args.Persistence];
            foreach (var strategy in args.Strategies)
            {
                foreach (var persistence in persistences)
                {
                    foreach (var proxied in args.StoreProxy)
                    foreach (var nearCache in NearCacheSettings(args, strategy))
                    {
                        ct.ThrowIfCancellationRequested();
                        var plan = new RunPlan(strategy, args.Nodes, paths.RunDirectory("bench-" + strategy), WorkloadFor(args, strategy))
                        {
                            Paths = paths,
                            DashboardPort = args.DashboardPort,
                            Persistence = persistence,
                            ProxyStoreLinks = proxied,
                            NearCache = nearCache,
                        };
                        try
                        {
                            runs.Add(await runner.RunAsync(plan, ct).ConfigureAwait(false));
                        }
                        catch (LabException ex)
                        {
                            // One strategy that cannot start (a missing server) does not cost the others their run.
                            log.Warn($"{plan.Label}: {ex.Message}");
                            exitCode = 1;
                        }
                    }
                }
            }
        }
        catch (LabException ex)
        {
            log.Warn(ex.Message);
            exitCode = 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.Warn("interrupted: writing what was measured so far");
            exitCode = 130;
        }

        if (runs.Count > 0)
        {
            await ReportWriter.WriteAsync(args.OutDirectory, new BenchResults { Runs = runs }, output, time, CancellationToken.None).ConfigureAwait(false);
        }

        return exitCode;
    }

    /// <summary>The near-cache settings to run <paramref name="strategy"/> with: as asked for Festa strategies; the peers once, as they are.</summary>
    internal static IReadOnlyList<bool> NearCacheSettings(BenchArguments args, string strategy) =>
        ReferenceEquals(LabStrategies.Get(strategy).NodeApplication, DotnetNodeApplication.Festa) ? args.NearCache : [false];

    /// <summary>The workload for one strategy: the same seed for every strategy, so they face the same traffic.</summary>
    internal static WorkloadOptions WorkloadFor(BenchArguments args, string strategy) => new()
    {
        Users = args.Users,
        Duration = args.Duration,
        WriteFraction = args.WriteFraction,
        Seed = args.Seed,
        Kind = args.Workload,
        Connections = args.Connections,
        Sessions = args.Sessions,
        RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3)) + strategy[..Math.Min(strategy.Length, 2)],
    };
}
