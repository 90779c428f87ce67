using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Report;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench.Compare;

/// <summary>
/// <c>stickless bench --compare</c> (and any bench with <c>--rounds</c> or a focused <c>--workload</c>): every strategy's
/// deployment is started and kept up, each gets one fixation check with a real login, then the rounds alternate
/// (A B C, A B C, …) with the store's commands counted around each measured run; last, everything is stopped and the
/// report opens with the headline table.
/// </summary>
internal static class ComparisonBench
{
    /// <summary>Runs the comparison.</summary>
    /// <returns>0 on success, 1 when a strategy could not run, 130 when interrupted (what was measured is written).</returns>
    public static async Task<int> RunAsync(BenchArguments args, ILabLog log, TextWriter progress, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        var exitCode = 0;
        var contenders = new List<Contender>();
        try
        {
            var paths = LabPaths.Resolve(args.LabDirectory);
            foreach (var plan in Plans(args, paths))
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    log.Info($"{plan.Label}: starting {args.Nodes} node(s) behind HAProxy");
                    var spec = new DeploymentSpec(plan.Strategy, args.Nodes, plan.RunDirectory)
                    {
                        Paths = paths,
                        Persistence = plan.Persistence,
                        ProxyStoreLinks = plan.ProxyStoreLinks,
                        NodeSettings = plan.NodeSettings,
                    };
                    var deployment = await LabDeployment.StartAsync(spec, log, ct).ConfigureAwait(false);
                    contenders.Add(new Contender(plan, deployment)
                    {
                        // The same node's session-free endpoint, beside the reads of every strategy that runs Festa.
                        SessionFree = args.SessionFree && ReferenceEquals(deployment.Strategy.NodeApplication, DotnetNodeApplication.Festa)
                            ? plan with { SessionFree = true, Workload = WithKind(plan.Workload, WorkloadKind.Baseline) }
                            : null,
                    });
                }
                catch (LabException ex)
                {
                    // One strategy that cannot start (a missing server) does not cost the others their run.
                    log.Warn($"{plan.Label}: {ex.Message}");
                    exitCode = 1;
                }
            }

            foreach (var contender in contenders)
            {
                contender.Fixation = await FixationProbe.CheckAsync(contender.Deployment.FrontendUrl, time, ct).ConfigureAwait(false);
                log.Info($"{contender.Plan.Label}: pre-login id signed in after login: {Describe(contender.Fixation)}");
                if (args.LogoutTrials > 0)
                {
                    contender.Logout = await LogoutProbe.MeasureAsync([.. contender.Deployment.Nodes.Select(static n => n.Url)], args.LogoutTrials, time, ct).ConfigureAwait(false);
                    log.Info(contender.Logout is { } logout
                        ? $"{contender.Plan.Label}: a logout on node1 went unseen on node2 for p50 {logout.P50Ms:0.###} ms, p99 {logout.P99Ms:0.###} ms, max {logout.MaxMs:0.###} ms ({logout.StaleAnswers} stale answers in {logout.Trials} logouts)"
                        : $"{contender.Plan.Label}: the logout trials could not run");
                }
            }

            for (var round = 1; round <= args.Rounds; round++)
            {
                foreach (var contender in contenders)
                {
                    var label = args.Rounds > 1 ? $"{contender.Plan.Label} {args.Workload.Name()} {round}/{args.Rounds}" : $"{contender.Plan.Label} {args.Workload.Name()}";
                    contender.Rounds.Add(await MeasureRoundAsync(contender.Deployment, contender.Plan, contender.Fixation, label, log, progress, time, ct).ConfigureAwait(false));
                    if (contender.SessionFree is { } sessionFree)
                    {
                        var freeLabel = args.Rounds > 1 ? $"{sessionFree.Label} {round}/{args.Rounds}" : sessionFree.Label;
                        contender.SessionFreeRounds.Add(await MeasureRoundAsync(contender.Deployment, sessionFree, null, freeLabel, log, progress, time, ct).ConfigureAwait(false));
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
        finally
        {
            foreach (var contender in contenders)
            {
                log.Info($"{contender.Plan.Label}: stopping the deployment");
                await contender.Deployment.DisposeAsync().ConfigureAwait(false);
            }
        }

        var runs = new List<RunResult>();
        foreach (var contender in contenders.Where(static c => c.Rounds.Count > 0))
        {
            runs.Add(RoundMerger.Merge(contender.Plan, contender.Rounds, contender.Fixation) with
            {
                LogoutTrials = contender.Logout?.Trials,
                LogoutStaleAnswers = contender.Logout?.StaleAnswers,
                LogoutUnseenP50Ms = contender.Logout?.P50Ms,
                LogoutUnseenP99Ms = contender.Logout?.P99Ms,
                LogoutUnseenMaxMs = contender.Logout?.MaxMs,
            });
            if (contender.SessionFree is { } sessionFree && contender.SessionFreeRounds.Count > 0)
            {
                runs.Add(RoundMerger.Merge(sessionFree, contender.SessionFreeRounds, fixation: null));
            }
        }

        if (runs.Count > 0)
        {
            await ReportWriter.WriteAsync(args.OutDirectory, new BenchResults { Runs = runs }, output, time, CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteAsync(HeadlineTable.Markdown(runs)).ConfigureAwait(false);
        }

        return exitCode;
    }

    private static async Task<RoundMeasurement> MeasureRoundAsync(LabDeployment deployment, RunPlan plan, bool? fixation, string label, ILabLog log, TextWriter progress, TimeProvider time, CancellationToken ct)
    {
        var options = plan.Workload;
        using IWorkloadRun workload = options.Kind == WorkloadKind.Mixed
            ? new WorkloadRunner(deployment.FrontendUrl, WithFreshUsers(options), time, deployment.LiveCounters)
            : new SessionLoadRunner(deployment.FrontendUrl, WithFreshUsers(options), time, deployment.LiveCounters);
        var ready = await workload.WarmUpAsync(ct).ConfigureAwait(false);
        log.Info($"{label}: {ready} session(s) ready");

        var before = await RedisCommandStats.ReadAsync(deployment, ct).ConfigureAwait(false);
        var startedAt = time.GetUtcNow();
        deployment.LiveCounters.Begin($"bench {label}");
        using var side = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progressLoop = ShowProgressAsync(label, options.Duration, workload.Recorder, progress, time, side.Token);
        WorkloadResult result;
        try
        {
            result = await workload.RunAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await side.CancelAsync().ConfigureAwait(false);
            await progressLoop.ConfigureAwait(false);
            deployment.LiveCounters.End();
        }

        var after = await RedisCommandStats.ReadAsync(deployment, ct).ConfigureAwait(false);
        var store = before is not null && after is not null ? after.Minus(before) : null;
        var round = new RoundMeasurement(result, store, startedAt);
        await progress.WriteLineAsync(ProgressLine.Summary(label, RoundMerger.Merge(plan, [round], fixation))
            + (store is null ? string.Empty : $", store round trips/request {RoundMerger.PerRequest(store.RoundTrips, result.Totals.Requests):0.00}")).ConfigureAwait(false);
        return round;
    }

    /// <summary>
    /// One contender per strategy, and per persistence setting and store-proxy choice when asked (<c>--persistence</c>,
    /// <c>--store-proxy both</c>); each has its own run directory, since all of them are up at once.
    /// </summary>
    private static IEnumerable<RunPlan> Plans(BenchArguments args, LabPaths paths)
    {
        IReadOnlyList<RedisPersistence?> persistences = args.Persistence.Count == 0 ? [null] : [.. args.Persistence];
        foreach (var strategy in args.Strategies)
        {
            foreach (var persistence in persistences)
            {
                foreach (var proxied in args.StoreProxy)
                {
                    foreach (var nearCache in BenchCommand.NearCacheSettings(args, strategy))
                    {
                        var variant = (persistence is null ? string.Empty : "-" + persistence.Name) + (proxied ? "-proxied" : string.Empty) + (nearCache ? "-near-cache" : string.Empty);
                        yield return new RunPlan(strategy, args.Nodes, paths.RunDirectory("bench-" + strategy + variant), BenchCommand.WorkloadFor(args, strategy))
                        {
                            Paths = paths,
                            Persistence = persistence,
                            ProxyStoreLinks = proxied,
                            NearCache = nearCache,
                        };
                    }
                }
            }
        }
    }

    /// <summary>Each round signs up its own users: a user name is taken once per deployment.</summary>
    private static WorkloadOptions WithFreshUsers(WorkloadOptions options) => WithKind(options, options.Kind);

    /// <summary>The same workload with another kind, and fresh user names.</summary>
    private static WorkloadOptions WithKind(WorkloadOptions options, WorkloadKind kind) => new()
    {
        Users = options.Users,
        Duration = options.Duration,
        WriteFraction = options.WriteFraction,
        RequestTimeout = options.RequestTimeout,
        SignInTimeout = options.SignInTimeout,
        ConnectionLifetime = options.ConnectionLifetime,
        ErrorBackoff = options.ErrorBackoff,
        WarmUpTimeout = options.WarmUpTimeout,
        RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4)),
        Password = options.Password,
        Seed = options.Seed,
        Kind = kind,
        Connections = options.Connections,
        Sessions = options.Sessions,
    };

    private static async Task ShowProgressAsync(string label, TimeSpan duration, WorkloadRecorder recorder, TextWriter progress, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await progress.WriteLineAsync(ProgressLine.Format(label, duration, recorder.Snapshot())).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The round is over.
        }
    }

    private static string Describe(bool? fixation) => fixation switch
    {
        true => "yes (session fixation)",
        false => "no",
        null => "could not tell",
    };

    /// <summary>A strategy's deployment, kept up for all its rounds, and what they measured.</summary>
    private sealed class Contender(RunPlan plan, LabDeployment deployment)
    {
        public RunPlan Plan { get; } = plan;

        public LabDeployment Deployment { get; } = deployment;

        public bool? Fixation { get; set; }

        public List<RoundMeasurement> Rounds { get; } = [];

        public LogoutProbeResult? Logout { get; set; }

        /// <summary>The session-free measurement taken beside this strategy's reads (<c>--session-free</c>), or null.</summary>
        public RunPlan? SessionFree { get; init; }

        public List<RoundMeasurement> SessionFreeRounds { get; } = [];
    }
}
