using Stickless.Lab.Bench;
using Stickless.Lab.Deployment;
using Stickless.Lab.Report;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>stickless chaos</c>: the bench of one strategy with a fault injected part-way; reports
/// unavailability and what was lost, in the same <c>results.json</c> and <c>report.html</c>.
/// </summary>
internal static class ChaosCommand
{
    /// <summary>Runs the command on the console.</summary>
    /// <returns>0 on success, 1 when the run failed, 2 for an unknown fault.</returns>
    public static Task<int> RunAsync(ChaosArguments args, CancellationToken ct) =>
        RunAsync(args, ConsoleLabLog.Instance, Console.Error, Console.Out, TimeProvider.System, ct);

    /// <summary>Runs the command with its writers and clock given (tests).</summary>
    public static async Task<int> RunAsync(
        ChaosArguments args, ILabLog log, TextWriter progress, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        if (args.Matrix)
        {
            return await MatrixCommand.RunAsync(args, log, progress, output, time, ct).ConfigureAwait(false);
        }

        if (!FaultRegistry.TryCreate(args.Fault, args.Settings, out var fault))
        {
            log.Warn($"unknown fault '{args.Fault}' (known: {string.Join(", ", FaultRegistry.Names)})");
            return 2;
        }

        log.Info($"chaos: {fault.Name} — {fault.Description}");
        var bench = new BenchArguments
        {
            Users = args.Users,
            Duration = args.Duration,
            Nodes = args.Nodes,
            WriteFraction = args.WriteFraction,
            Seed = args.Seed,
        };

        // One run per persistence setting asked for (redis), one after the other; otherwise one run.
        IReadOnlyList<RedisPersistence?> settings = args.Persistence.Count == 0 ? [null] : [.. args.Persistence];
        var results = new List<RunResult>();
        var exitCode = 0;
        try
        {
            var paths = LabPaths.Resolve(args.LabDirectory);
            foreach (var persistence in settings)
            {
                if (results.Count > 0 && !FaultRegistry.TryCreate(args.Fault, args.Settings, out fault))
                {
                    return 2;
                }

                var plan = new RunPlan(
                    args.Strategy,
                    args.Nodes,
                    paths.RunDirectory($"chaos-{args.Strategy}"),
                    BenchCommand.WorkloadFor(bench, args.Strategy),
                    new FaultPlan(fault, args.FaultAt) { Settings = args.Settings })
                {
                    Paths = paths,
                    Persistence = persistence,
                    NearCache = args.NearCache,
                };
                var result = await new BenchRunner(log, progress, time).RunAsync(plan, ct).ConfigureAwait(false);
                results.Add(result);
                await output.WriteLineAsync(RunNarrative.Label(result) + ": " + RunNarrative.Explain(result)).ConfigureAwait(false);
            }
        }
        catch (LabException ex)
        {
            log.Warn(ex.Message);
            exitCode = 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.Warn("interrupted");
            exitCode = 130;
        }

        if (results.Count > 0)
        {
            await ReportWriter.WriteAsync(args.OutDirectory, new BenchResults { Runs = results }, output, time, CancellationToken.None).ConfigureAwait(false);
        }

        return exitCode;
    }
}
