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
        if (!FaultRegistry.TryCreate(args.Fault, out var fault))
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

        RunResult result;
        try
        {
            var paths = LabPaths.Resolve(args.LabDirectory);
            var plan = new RunPlan(
                args.Strategy,
                args.Nodes,
                paths.RunDirectory($"chaos-{args.Strategy}"),
                BenchCommand.WorkloadFor(bench, args.Strategy),
                new FaultPlan(fault, args.FaultAt))
            {
                Paths = paths,
            };
            result = await new BenchRunner(log, progress, time).RunAsync(plan, ct).ConfigureAwait(false);
        }
        catch (LabException ex)
        {
            log.Warn(ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.Warn("interrupted");
            return 130;
        }

        await output.WriteLineAsync(RunNarrative.Label(result) + ": " + RunNarrative.Explain(result)).ConfigureAwait(false);
        await ReportWriter.WriteAsync(args.OutDirectory, new BenchResults { Runs = [result] }, output, time, CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
