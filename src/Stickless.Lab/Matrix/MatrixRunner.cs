using System.Globalization;
using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Matrix;

/// <summary>
/// Runs the matrix unattended: each cell a chaos run of its own (a fresh deployment, the bench workload, one fault),
/// one after the other, each held to its promise. Bounded: a cell that would not end within the budget is not started,
/// and a cell that fails to deploy is recorded and skipped.
/// </summary>
internal sealed class MatrixRunner
{
    private readonly ILabLog log;
    private readonly TextWriter progress;
    private readonly TimeProvider time;

    /// <summary>Creates a runner.</summary>
    public MatrixRunner(ILabLog log, TextWriter progress, TimeProvider time)
    {
        this.log = log;
        this.progress = progress;
        this.time = time;
    }

    /// <summary>Runs <paramref name="cells"/>; <paramref name="completed"/> is called with each run as it ends (the report is written as the matrix goes).</summary>
    public async Task<MatrixResult> RunAsync(
        IReadOnlyList<MatrixCell> cells, MatrixOptions options, Func<RunResult, Task>? completed, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var entries = new List<MatrixEntry>();
        var paths = LabPaths.Resolve(options.LabDirectory);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var elapsed = time.GetElapsedTime(started);
            if (elapsed + cell.Estimate(options.Duration) > options.Budget)
            {
                entries.Add(NotRun(cell, string.Create(CultureInfo.InvariantCulture, $"the {options.Budget.TotalMinutes:0} min budget would run out ({elapsed.TotalMinutes:0.#} min spent)")));
                continue;
            }

            ct.ThrowIfCancellationRequested();
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[matrix] {i + 1}/{cells.Count} {cell.Label} ({elapsed.TotalMinutes:0.#} min spent)")).ConfigureAwait(false);
            var cellStarted = time.GetTimestamp();
            var duration = cell.Duration(options.Duration);
            var plan = new RunPlan(
                cell.Strategy,
                options.Nodes,
                paths.RunDirectory("matrix-" + cell.Strategy),
                new WorkloadOptions
                {
                    Users = options.Users,
                    Duration = duration,
                    WriteFraction = options.WriteFraction,
                    Seed = options.Seed,
                    RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3)) + "mx",
                },
                new FaultPlan(cell.Create(), cell.FaultAt(options.Duration)) { Settings = cell.Settings })
            {
                Paths = paths,
                Persistence = cell.Persistence,
            };
            try
            {
                var run = await new BenchRunner(log, TextWriter.Null, time).RunAsync(plan, ct).ConfigureAwait(false);
                var promise = Promises.Evaluate(run);
                entries.Add(new MatrixEntry
                {
                    Label = cell.Label,
                    Strategy = cell.Strategy,
                    Fault = cell.Fault,
                    Promise = promise,
                    Run = run,
                    WallSeconds = Math.Round(time.GetElapsedTime(cellStarted).TotalSeconds, 1),
                });
                var kept = promise.Kept switch { true => "kept", false => "BROKEN", null => "no promise" };
                await progress.WriteLineAsync($"[matrix]   {kept}: {promise.Promise} — {promise.Measured}").ConfigureAwait(false);
                if (completed is not null)
                {
                    await completed(run).ConfigureAwait(false);
                }
            }
            catch (LabException ex)
            {
                log.Warn($"{cell.Label}: {ex.Message}");
                entries.Add(NotRun(cell, ex.Message) with { WallSeconds = Math.Round(time.GetElapsedTime(cellStarted).TotalSeconds, 1) });
            }
        }

        return new MatrixResult
        {
            StartedAt = startedAt,
            WallSeconds = Math.Round(time.GetElapsedTime(started).TotalSeconds, 1),
            BudgetSeconds = options.Budget.TotalSeconds,
            Users = options.Users,
            WriteFraction = options.WriteFraction,
            Cells = entries,
        };
    }

    private static MatrixEntry NotRun(MatrixCell cell, string why) => new()
    {
        Label = cell.Label,
        Strategy = cell.Strategy,
        Fault = cell.Fault,
        NotRun = why,
    };
}
