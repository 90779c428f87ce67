using Stickless.Lab.Bench;
using Stickless.Lab.Deployment;
using Stickless.Lab.Matrix;
using Stickless.Lab.Report;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>stickless chaos --matrix</c>: every cell of the fault × strategy table, unattended and bounded by the budget;
/// <c>results.json</c> and <c>report.html</c> grow cell by cell, and <c>matrix.json</c> and <c>matrix.md</c> hold the
/// table beside the promises, broken cells flagged.
/// </summary>
internal static class MatrixCommand
{
    /// <summary>Runs the matrix.</summary>
    /// <returns>0 when every cell that ran kept its promise and none failed to deploy; 1 otherwise; 130 when interrupted.</returns>
    public static async Task<int> RunAsync(ChaosArguments args, ILabLog log, TextWriter progress, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        var cells = MatrixPlan.Select(args.MatrixStrategies, args.MatrixFaults);
        var options = new MatrixOptions
        {
            Budget = args.Budget,
            Duration = args.Duration,
            Users = args.Users,
            Nodes = args.Nodes,
            WriteFraction = args.WriteFraction,
            Seed = args.Seed,
            LabDirectory = args.LabDirectory,
        };
        var estimate = TimeSpan.FromTicks(cells.Sum(c => c.Estimate(options.Duration).Ticks));
        log.Info($"chaos --matrix: {cells.Count} cells, about {estimate.TotalMinutes:0} min (budget {options.Budget.TotalMinutes:0} min), results in {Path.GetFullPath(args.OutDirectory)}");
        MatrixResult result;
        try
        {
            result = await new MatrixRunner(log, progress, time).RunAsync(cells, options,
                run => ReportWriter.WriteAsync(args.OutDirectory, new BenchResults { Runs = [run] }, TextWriter.Null, time, CancellationToken.None), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.Warn("interrupted: the cells that ran are in results.json");
            return 130;
        }

        var markdown = await MatrixReport.WriteAsync(args.OutDirectory, result, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(MatrixReport.Markdown(result)).ConfigureAwait(false);
        await output.WriteLineAsync($"matrix:  {markdown}").ConfigureAwait(false);
        await output.WriteLineAsync($"report:  {Path.GetFullPath(Path.Combine(args.OutDirectory, ReportWriter.HtmlFileName))}").ConfigureAwait(false);
        return result.Broken == 0 && result.Cells.All(static c => c.NotRun is null || c.NotRun.Contains("budget", StringComparison.Ordinal)) ? 0 : 1;
    }
}
