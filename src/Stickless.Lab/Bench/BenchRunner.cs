using Stickless.Lab.Bench.Compare;
using Stickless.Lab.Chaos;
using Stickless.Lab.Dashboard;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>
/// Runs one <see cref="RunPlan"/>: starts the deployment (and its live dashboard when the plan asks),
/// warms the users up, runs them for the duration (injecting the fault when there is one), shows
/// progress each second, stops everything, and returns the figures.
/// </summary>
internal sealed class BenchRunner
{
    private readonly ILabLog _log;
    private readonly TextWriter _progress;
    private readonly TimeProvider _time;

    /// <summary>Creates a runner that logs steps to <paramref name="log"/> and a status line per second to <paramref name="progress"/>.</summary>
    public BenchRunner(ILabLog log, TextWriter progress, TimeProvider time)
    {
        _log = log;
        _progress = progress;
        _time = time;
    }

    /// <summary>Runs the plan; the deployment is stopped when this returns, whatever happened.</summary>
    public async Task<RunResult> RunAsync(RunPlan plan, CancellationToken ct)
    {
        var label = plan.Label;
        _log.Info($"{label}: starting {plan.Nodes} nodes behind HAProxy");
        var spec = new DeploymentSpec(plan.Strategy, plan.Nodes, plan.RunDirectory)
        {
            Paths = plan.Paths,
            ProxyStoreLinks = plan.StoreLinksProxied,
            ProxyServerLinks = plan.ServerLinksProxied,
            Persistence = plan.Persistence,
            NodeSettings = plan.NodeSettings,
        };
        var deployment = await LabDeployment.StartAsync(spec, _log, ct).ConfigureAwait(false);
        await using (deployment.ConfigureAwait(false))
        {
            plan.DeploymentStarted?.Invoke(deployment);
            var dashboard = await StartDashboardAsync(plan, label, deployment, ct).ConfigureAwait(false);
            try
            {
                return await MeasureAsync(plan, label, deployment, ct).ConfigureAwait(false);
            }
            finally
            {
                // Before the deployment: the dashboard looks at its processes every second.
                if (dashboard is not null)
                {
                    await dashboard.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<LabDashboard?> StartDashboardAsync(RunPlan plan, string label, LabDeployment deployment, CancellationToken ct)
    {
        if (plan.DashboardPort is not { } requested)
        {
            return null;
        }

        var port = requested != 0 && PortAllocator.IsFree(requested) ? requested : 0;
        if (port != requested)
        {
            _log.Warn($"{label}: port {requested} is busy; the live dashboard takes a free port");
        }

        try
        {
            var dashboard = await LabDashboard.StartAsync(deployment, port, withProbe: false, ct).ConfigureAwait(false);
            _progress.WriteLine($"{label}: live dashboard: {dashboard.Url}");
            plan.DashboardStarted?.Invoke(dashboard.Url);
            return dashboard;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Watching is optional: the bench measures without it.
            _log.Warn($"{label}: the live dashboard did not start ({ex.Message}); the bench goes on without it");
            return null;
        }
    }

    private async Task<RunResult> MeasureAsync(RunPlan plan, string label, LabDeployment deployment, CancellationToken ct)
    {
        using var workload = new WorkloadRunner(deployment.FrontendUrl, plan.Workload, _time, deployment.LiveCounters);

        // Once per strategy, before the load: is the id from before a login still signed in after it?
        var fixation = plan.Fault is null ? await FixationProbe.CheckAsync(deployment.FrontendUrl, _time, ct).ConfigureAwait(false) : null;

        _log.Info($"{label}: {plan.Workload.Users} users sign up and sign in through {deployment.FrontendUrl}");
        var signedIn = await workload.WarmUpAsync(ct).ConfigureAwait(false);
        if (signedIn < plan.Workload.Users)
        {
            _log.Warn($"{label}: only {signedIn} of {plan.Workload.Users} users signed in during warm-up; the others keep trying during the run");
        }

        var figures = deployment.Strategy as Deployment.Replication.IStoreFigureSource;
        var figuresBefore = figures is null ? null : await figures.SnapshotAsync(deployment, ct).ConfigureAwait(false);
        var storeBefore = plan.Fault is null ? await RedisCommandStats.ReadAsync(deployment, ct).ConfigureAwait(false) : null;
        var storeRequestsBefore = await CountStoreRequestsAsync(deployment, ct).ConfigureAwait(false);
        var startedAt = _time.GetUtcNow();
        deployment.LiveCounters.Begin($"{(plan.Fault is null ? "bench" : "chaos")} {label} · {plan.Workload.Users} users");
        using var side = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = workload.RunAsync(ct);
        var progress = ShowProgressAsync(label, plan.Workload.Duration, workload.Recorder, side.Token);
        var fault = plan.Fault is null
            ? Task.FromResult<FaultReport?>(null)
            : InjectAsync(plan.Fault, plan.Workload.Duration, workload, deployment, side.Token);

        var measured = await run.ConfigureAwait(false);
        var faultReport = await fault.ConfigureAwait(false);
        await side.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        deployment.LiveCounters.End();

        var window = faultReport is null ? null : workload.Recorder.WindowStats(faultReport.AppliedAt, faultReport.AppliedAt + FaultWindow(faultReport, measured));
        var result = RunResultFactory.Create(plan, measured, startedAt, faultReport, window);
        if (storeBefore is not null && await RedisCommandStats.ReadAsync(deployment, ct).ConfigureAwait(false) is { } storeAfter)
        {
            var store = storeAfter.Minus(storeBefore);
            result = result with
            {
                StoreRoundTripsPerRequest = RoundMerger.PerRequest(store.RoundTrips, measured.Totals.Requests),
                StoreCommandsPerRequest = RoundMerger.PerRequest(store.Commands, measured.Totals.Requests),
            };
        }

        if (storeRequestsBefore is { } before && await CountStoreRequestsAsync(deployment, ct).ConfigureAwait(false) is { } after && measured.Totals.Requests > 0)
        {
            result = result with { StoreRoundTripsPerRequest = RoundMerger.PerRequest(after - before, measured.Totals.Requests) };
        }

        result = result with { PreLoginIdSignedInAfterLogin = fixation };
        if (deployment.Strategy is IRedisFailoverTopology redis)
        {
            result = result with { WaitReplicas = redis.WaitReplicas, DownAfterSeconds = redis.DownAfter.TotalSeconds };
        }

        if (figures is not null)
        {
            result = await figures.AddFiguresAsync(result, deployment, figuresBefore, ct).ConfigureAwait(false);
        }

        if (faultReport is not null)
        {
            var context = new FaultContext(deployment, workload.SignedInUsersByNode(), _log);
            result = result with { FaultTargetAliveAtEnd = faultReport.Fault.IsTargetAlive(context, faultReport.Outcome) };
            await faultReport.Fault.RecoverAsync(context, faultReport.Outcome, ct).ConfigureAwait(false);
        }

        _progress.WriteLine(ProgressLine.Summary(label, result));
        _log.Info($"{label}: stopping the deployment");
        return result;
    }

    /// <summary>
    /// How long after a fault its figures are measured: while a lasting fault held; for an instant one (a kill), until
    /// every user was served again, at least 1 s (to the end of the run when some user never was).
    /// </summary>
    internal static TimeSpan FaultWindow(FaultReport fault, WorkloadResult measured)
    {
        if (fault.Outcome.HeldSeconds is { } held)
        {
            return TimeSpan.FromSeconds(held);
        }

        var recovery = measured.ResumedAfterFault ?? measured.Totals.Elapsed - fault.AppliedAt;
        return recovery > TimeSpan.FromSeconds(1) ? recovery : TimeSpan.FromSeconds(1);
    }

    /// <summary>The requests the store's servers have handled so far, by their own count; null when the strategy cannot say.</summary>
    private static async Task<long?> CountStoreRequestsAsync(LabDeployment deployment, CancellationToken ct) =>
        deployment.Strategy is IStoreRoundTripCounter counter
            ? await counter.CountStoreRequestsAsync(deployment.Context, ct).ConfigureAwait(false)
            : null;

    private async Task<FaultReport?> InjectAsync(
        FaultPlan plan, TimeSpan duration, WorkloadRunner workload, LabDeployment deployment, CancellationToken ct)
    {
        var at = duration * plan.At;
        try
        {
            var wait = at - workload.Recorder.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }

            var byNode = workload.SignedInUsersByNode();
            var appliedAt = workload.Recorder.Elapsed;
            workload.Recorder.MarkFault(appliedAt);
            var context = new FaultContext(deployment, byNode, _log)
            {
                Striking = () =>
                {
                    appliedAt = workload.Recorder.Elapsed;
                    workload.Recorder.MarkFault(appliedAt);
                },
            };
            var outcome = await plan.Fault.ApplyAsync(context, ct).ConfigureAwait(false);
            _progress.WriteLine($"  fault {plan.Fault.Name} at {appliedAt.TotalSeconds:0.0}s: {outcome.Detail}");
            return new FaultReport(plan.Fault, outcome, appliedAt, byNode.Values.Sum());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task ShowProgressAsync(
        string label, TimeSpan duration, WorkloadRecorder recorder, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var totals = recorder.Snapshot();
                _progress.WriteLine(ProgressLine.Format(label, duration, totals));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
