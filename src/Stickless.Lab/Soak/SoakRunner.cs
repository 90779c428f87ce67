using System.Globalization;
using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Matrix;
using Stickless.Lab.Processes;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Soak;

/// <summary>
/// The soak: the bench workload for a long time on one deployment, a fault every period (rotating through the strategy's
/// faults), every process sampled from /proc each second. Each fault is measured from the moment it strikes to the next
/// one, as a chaos run of its own would be, and held to its promise; a process it killed is started again half a period
/// later (at most 15 s), so that the next fault finds the deployment whole.
/// </summary>
internal sealed class SoakRunner
{
    /// <summary>The longest the soak waits after a fault before starting again what it killed.</summary>
    public static readonly TimeSpan MaxRestoreDelay = TimeSpan.FromSeconds(15);

    /// <summary>How long before the end of the run the last fault must have healed, so that its recovery is measured.</summary>
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(8);

    private readonly ILabLog log;
    private readonly TextWriter progress;
    private readonly TimeProvider time;

    /// <summary>Creates a runner.</summary>
    public SoakRunner(ILabLog log, TextWriter progress, TimeProvider time)
    {
        this.log = log;
        this.progress = progress;
        this.time = time;
    }

    /// <summary>Starts the deployment, soaks it, stops it (whatever happens), and returns what it measured.</summary>
    /// <exception cref="LabException">The deployment did not start, or a fault name is unknown.</exception>
    public async Task<SoakResult> RunAsync(SoakArguments args, CancellationToken ct)
    {
        var strategy = LabStrategies.Get(args.Strategy);
        var names = args.Faults.Count > 0 ? args.Faults : SoakPlan.DefaultFaults(strategy);
        var probes = names.Select(n => FaultRegistry.TryCreate(n, out var f) ? f : throw new LabException($"unknown fault '{n}'")).ToList();
        var paths = LabPaths.Resolve(args.LabDirectory);
        var options = new WorkloadOptions
        {
            Users = args.Users,
            Duration = args.Duration,
            WriteFraction = args.WriteFraction,
            Seed = args.Seed,
            RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3)) + "sk",
        };
        var plan = new RunPlan(strategy.Name, args.Nodes, paths.RunDirectory("soak-" + strategy.Name), options)
        {
            Paths = paths,
            Persistence = args.Persistence ?? SoakPlan.DefaultPersistence(strategy),
            ProxyStoreLinks = probes.Any(static f => f.NeedsStoreLinks),
        };
        var serverLinks = probes.Any(static f => f.NeedsServerLinks);
        log.Info($"soak: {strategy.Name} for {args.Duration.TotalMinutes:0.#} min, a fault every {args.FaultEvery.TotalSeconds:0} s, rotating {string.Join(", ", names)}");
        var spec = new DeploymentSpec(plan.Strategy, plan.Nodes, plan.RunDirectory)
        {
            Paths = paths,
            ProxyStoreLinks = plan.ProxyStoreLinks,
            ProxyServerLinks = serverLinks,
            Persistence = plan.Persistence,
        };
        var deployment = await LabDeployment.StartAsync(spec, log, ct).ConfigureAwait(false);
        await using (deployment.ConfigureAwait(false))
        {
            return await SoakAsync(deployment, plan, names, args, ct).ConfigureAwait(false);
        }
    }

    private async Task<SoakResult> SoakAsync(LabDeployment deployment, RunPlan plan, IReadOnlyList<string> names, SoakArguments args, CancellationToken ct)
    {
        using var workload = new WorkloadRunner(deployment.FrontendUrl, plan.Workload, time, deployment.LiveCounters);
        log.Info($"soak: {args.Users} users sign up and sign in");
        await workload.WarmUpAsync(ct).ConfigureAwait(false);
        var haproxyPid = deployment.HaproxyPid;
        List<(string, Func<int>)> targets = [.. deployment.Nodes.Select(static n => (n.Name, (Func<int>)(() => n.Pid))), ("haproxy", () => haproxyPid)];
        targets.AddRange(deployment.Services.Select(static s => (s.Name, (Func<int>)(() => s.Pid))));
        await using var sampler = new ProcessSampler(targets, time: time);

        var startedAt = time.GetUtcNow();
        deployment.LiveCounters.Begin($"soak {plan.Label} · {args.Users} users");
        sampler.Start();
        using var side = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = workload.RunAsync(ct);
        var schedule = ScheduleAsync(deployment, plan, names, args, workload, startedAt, side.Token);
        var measured = await run.ConfigureAwait(false);
        var (faults, open) = await schedule.ConfigureAwait(false);
        await side.CancelAsync().ConfigureAwait(false);
        deployment.LiveCounters.End();
        if (open is not null)
        {
            faults.Add(Close(open, measured.Totals.Elapsed, workload, plan, startedAt));
        }

        await sampler.StopAsync().ConfigureAwait(false);
        var processes = sampler.Summarize(UsageTolerance.Default);
        var totals = RunResultFactory.Create(plan, measured, startedAt, fault: null);
        var result = new SoakResult
        {
            Strategy = plan.Strategy,
            Persistence = plan.Persistence?.Name,
            Nodes = plan.Nodes,
            Users = args.Users,
            StartedAt = startedAt,
            DurationSeconds = Math.Round(measured.Totals.Elapsed.TotalSeconds, 1),
            FaultEverySeconds = args.FaultEvery.TotalSeconds,
            Totals = totals,
            Faults = faults,
            Processes = processes,
        };
        return result with { Failures = Failures(result, deployment.Nodes.Select(static n => n.Name).ToHashSet(StringComparer.Ordinal)) };
    }

    /// <summary>Every check of a soak that did not hold: a broken promise, another user's data, a node that grew.</summary>
    internal static IReadOnlyList<string> Failures(SoakResult result, IReadOnlySet<string> nodes)
    {
        var failures = new List<string>();
        if (result.Totals.WrongUser > 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{result.Totals.WrongUser} answers named another user"));
        }

        foreach (var fault in result.Faults.Where(static f => f.Promise.Kept == false))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{fault.Window.Fault} at {fault.Window.FaultAtSeconds:0} s broke its promise ({fault.Promise.Promise}): {fault.Promise.Measured}"));
        }

        foreach (var process in result.Processes.Where(p => nodes.Contains(p.Name) && !p.Flat))
        {
            failures.Add($"{process.Name} was not flat over the second half: {Trend(process)}");
        }

        return failures;
    }

    private static string Trend(ProcessUsage process) => string.Join("; ", new[]
    {
        process.MemoryBytes is { Flat: false } m ? string.Create(CultureInfo.InvariantCulture, $"memory +{ResourceTrend.MiB(m.SecondHalfGrowth)} MiB (allowed {ResourceTrend.MiB(m.Tolerance)})") : null,
        process.Threads is { Flat: false } t ? string.Create(CultureInfo.InvariantCulture, $"threads +{t.SecondHalfGrowth:0.#} (allowed {t.Tolerance:0.#})") : null,
        process.Handles is { Flat: false } h ? string.Create(CultureInfo.InvariantCulture, $"descriptors +{h.SecondHalfGrowth:0.#} (allowed {h.Tolerance:0.#})") : null,
    }.OfType<string>());

    private async Task<(List<SoakFault> Faults, OpenWindow? Open)> ScheduleAsync(
        LabDeployment deployment, RunPlan plan, IReadOnlyList<string> names, SoakArguments args, WorkloadRunner workload, DateTimeOffset startedAt, CancellationToken ct)
    {
        var faults = new List<SoakFault>();
        OpenWindow? open = null;
        var recorder = workload.Recorder;
        try
        {
            for (var i = 1; ; i++)
            {
                var name = names[(i - 1) % names.Count];
                if (!FaultRegistry.TryCreate(name, out var fault))
                {
                    throw new LabException($"unknown fault '{name}'");
                }

                var at = args.FaultEvery * i;
                if (at + fault.Lasts + Tail >= args.Duration)
                {
                    break;
                }

                await WaitUntilAsync(recorder, at, ct).ConfigureAwait(false);
                if (open is not null)
                {
                    faults.Add(Close(open, recorder.Elapsed, workload, plan, startedAt));
                    open = null;
                }

                open = await StrikeAsync(deployment, fault, workload, ct).ConfigureAwait(false);
                var restoreAt = open.AppliedAt + Min(args.FaultEvery / 2, MaxRestoreDelay);
                if (restoreAt > recorder.Elapsed)
                {
                    await WaitUntilAsync(recorder, restoreAt, ct).ConfigureAwait(false);
                }

                open = open with { Restored = await RestoreAsync(deployment, ct).ConfigureAwait(false) };
                await fault.RecoverAsync(new FaultContext(deployment, workload.SignedInUsersByNode(), log), open.Outcome, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Interrupted: what was measured so far is kept.
        }

        return (faults, open);
    }

    private async Task<OpenWindow> StrikeAsync(LabDeployment deployment, IFault fault, WorkloadRunner workload, CancellationToken ct)
    {
        var recorder = workload.Recorder;
        recorder.ForgetRequestsSinceFault();
        var byNode = workload.SignedInUsersByNode();
        var appliedAt = recorder.Elapsed;
        recorder.MarkFault(appliedAt);
        var before = recorder.Snapshot();
        var lostBefore = workload.SessionsLostPerUser();
        var context = new FaultContext(deployment, byNode, log)
        {
            Striking = () =>
            {
                appliedAt = recorder.Elapsed;
                recorder.MarkFault(appliedAt);
            },
        };
        FaultOutcome outcome;
        try
        {
            outcome = await fault.ApplyAsync(context, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LabException or InvalidOperationException or IOException)
        {
            // A fault that could not strike (its target gone) is reported as such; the soak goes on.
            outcome = new FaultOutcome("—", $"{fault.Name} could not strike: {ex.Message}");
        }

        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  fault {fault.Name} at {appliedAt.TotalSeconds:0.0}s: {outcome.Detail}")).ConfigureAwait(false);
        return new OpenWindow(fault, outcome, appliedAt, before, lostBefore, byNode.Values.Sum(), []);
    }

    /// <summary>Starts again every node and server of the deployment that is not running (what a kill left dead).</summary>
    private async Task<IReadOnlyList<string>> RestoreAsync(LabDeployment deployment, CancellationToken ct)
    {
        var restored = new List<string>();
        foreach (var node in deployment.Nodes.Where(static n => !n.IsAlive))
        {
            await node.RestartAsync(ct).ConfigureAwait(false);
            restored.Add(string.Create(CultureInfo.InvariantCulture, $"{node.Name} (pid {node.Pid})"));
        }

        foreach (var service in deployment.Services.Where(static s => !s.IsAlive))
        {
            await service.RestartAsync(ct).ConfigureAwait(false);
            restored.Add(string.Create(CultureInfo.InvariantCulture, $"{service.Name} (pid {service.Pid})"));
        }

        if (restored.Count > 0)
        {
            log.Info($"soak: started again {string.Join(", ", restored)}");
        }

        return restored;
    }

    private static SoakFault Close(OpenWindow open, TimeSpan end, WorkloadRunner workload, RunPlan plan, DateTimeOffset startedAt)
    {
        var recorder = workload.Recorder;
        var after = recorder.Snapshot();
        var lostAfter = workload.SessionsLostPerUser();
        var usersLosing = lostAfter.Zip(open.LostBefore, static (a, b) => a > b).Count(static x => x);
        var resumed = recorder.ResumedAfterFault();
        var seconds = (int)Math.Ceiling(end.TotalSeconds);
        var series = recorder.TimeSeries(seconds).Where(p => p.Second >= (int)open.AppliedAt.TotalSeconds && p.Second < seconds).ToList();
        var whole = recorder.WindowStats(open.AppliedAt, end);
        var delta = new WorkloadTotals(
            end - open.AppliedAt,
            after.Requests - open.Before.Requests,
            after.Errors - open.Before.Errors,
            after.SessionsLost - open.Before.SessionsLost,
            after.StaleReads - open.Before.StaleReads,
            after.LostUpdates - open.Before.LostUpdates,
            after.WrongUser - open.Before.WrongUser);
        var measured = new WorkloadResult(delta, whole?.P50Ms ?? 0, whole?.P99Ms ?? 0, TimeSeriesPoint.CountUnavailable(series), series,
            new Dictionary<string, long>(), open.SignedIn, workload.SignedInUsers(), usersLosing, resumed);
        var report = new FaultReport(open.Fault, open.Outcome, open.AppliedAt, open.SignedIn);
        var faultPlan = plan with { Fault = new FaultPlan(open.Fault, 0) };
        var window = recorder.WindowStats(open.AppliedAt, open.AppliedAt + BenchRunner.FaultWindow(report, measured with { Totals = measured.Totals with { Elapsed = end } }));
        var result = RunResultFactory.Create(faultPlan, measured, startedAt + open.AppliedAt, report, window) with
        {
            FaultAtSeconds = Math.Round(open.AppliedAt.TotalSeconds, 2),
        };
        return new SoakFault(result, Promises.Evaluate(result), open.Restored);
    }

    private async Task WaitUntilAsync(WorkloadRecorder recorder, TimeSpan at, CancellationToken ct)
    {
        var wait = at - recorder.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A fault that struck and has not been measured yet.</summary>
    private sealed record OpenWindow(IFault Fault, FaultOutcome Outcome, TimeSpan AppliedAt, WorkloadTotals Before, IReadOnlyList<int> LostBefore, int SignedIn, IReadOnlyList<string> Restored);
}
