using System.Globalization;
using System.Net;
using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Abuse;

/// <summary>
/// Runs the abuse against a running deployment: real users with canaries sign in, attackers prepare their own accounts
/// and a session filled to the limit, then for the duration the attackers and the slow clients abuse HAProxy's front
/// end while the real users check themselves and /proc is sampled; at the end, every node must still be the process it
/// was. Bounded: the workers are cancelled at most <see cref="Overrun"/> after the duration.
/// </summary>
internal sealed class AbuseRunner
{
    /// <summary>How long past the duration a request in flight may finish (a slow client's exchange lasts up to 40 s).</summary>
    public static readonly TimeSpan Overrun = TimeSpan.FromSeconds(45);

    private const string Password = "abuse-Password-1";
    private static readonly TimeSpan PrepareTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CanaryPause = TimeSpan.FromMilliseconds(25);

    private readonly ILabLog log;
    private readonly TextWriter progress;
    private readonly TimeProvider time;

    /// <summary>Creates a runner that logs steps to <paramref name="log"/> and a status line every 5 s to <paramref name="progress"/>.</summary>
    public AbuseRunner(ILabLog log, TextWriter progress, TimeProvider time)
    {
        this.log = log;
        this.progress = progress;
        this.time = time;
    }

    /// <summary>The node configuration the abuse needs: the id header turned on, so that it can be abused.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> NodeConfiguration { get; } =
        [new("Stickless:HeaderName", HostileCatalogue.HeaderName)];

    /// <summary>Abuses <paramref name="deployment"/> as <paramref name="args"/> says.</summary>
    /// <exception cref="LabException">The real users or the attackers could not sign in.</exception>
    public async Task<AbuseResult> RunAsync(LabDeployment deployment, AbuseArguments args, CancellationToken ct)
    {
        var runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        var frontend = new IPEndPoint(IPAddress.Loopback, deployment.FrontendUrl.Port);
        var leaks = new LeakScanner();
        var canaries = Enumerable.Range(1, args.Users).Select(i => new CanaryUser(deployment.FrontendUrl, i, runId)).ToList();
        var attackers = Enumerable.Range(1, args.Attackers).Select(i => new Attacker(frontend, i, args.Seed, runId)).ToList();
        try
        {
            using (var prepare = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                prepare.CancelAfter(PrepareTimeout);
                log.Info($"abuse: {args.Users} real users sign in and plant canaries; {args.Attackers} attackers sign up and fill a session each to its attribute limit");
                var ready = await Task.WhenAll(canaries.Select(c => c.PrepareAsync(Password, leaks, prepare.Token))).ConfigureAwait(false);
                if (ready.Any(static r => !r))
                {
                    throw new LabException($"abuse: only {ready.Count(static r => r)} of {args.Users} real users could sign in and plant their canary.");
                }

                var armed = await Task.WhenAll(attackers.Select(a => a.PrepareAsync(Password, prepare.Token))).ConfigureAwait(false);
                if (armed.Any(static r => !r))
                {
                    throw new LabException($"abuse: only {armed.Count(static r => r)} of {args.Attackers} attackers could sign in.");
                }
            }

            var full = attackers.Count(static a => a.Identity?.FullSessionId is not null);
            log.Info($"abuse: {leaks.Count} secrets watched; {full} of {attackers.Count} attackers hold a session at its attribute limit");
            return await AbuseAsync(deployment, args, canaries, attackers, leaks, frontend, ct).ConfigureAwait(false);
        }
        finally
        {
            canaries.ForEach(static c => c.Dispose());
            attackers.ForEach(static a => a.Dispose());
        }
    }

    private async Task<AbuseResult> AbuseAsync(
        LabDeployment deployment, AbuseArguments args, List<CanaryUser> canaries, List<Attacker> attackers, LeakScanner leaks, IPEndPoint frontend, CancellationToken ct)
    {
        var tallies = HostileCatalogue.Kinds.Concat([SlowClient.SlowHeaders, SlowClient.SlowBody])
            .ToDictionary(static k => k, static k => new AttackTally(k), StringComparer.Ordinal);
        var pidsBefore = deployment.Nodes.ToDictionary(static n => n.Name, static n => n.Pid, StringComparer.Ordinal);
        var haproxyPid = deployment.HaproxyPid;
        List<(string, Func<int>)> targets = [.. deployment.Nodes.Select(static n => (n.Name, (Func<int>)(() => n.Pid))), ("haproxy", () => haproxyPid)];
        targets.AddRange(deployment.Services.Select(static s => (s.Name, (Func<int>)(() => s.Pid))));
        await using var sampler = new ProcessSampler(targets, time: time);

        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        bool KeepGoing() => time.GetElapsedTime(started) < args.Duration;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(args.Duration + Overrun);
        sampler.Start();
        log.Info($"abuse: {args.Attackers} attackers and {args.SlowClients} slow clients against {deployment.FrontendUrl} for {args.Duration.TotalSeconds:0} s");

        var workers = new List<Task>();
        workers.AddRange(attackers.Select(a => Guard(a.RunAsync(KeepGoing, tallies, leaks, stop.Token))));
        workers.AddRange(Enumerable.Range(0, args.SlowClients).Select(i => Guard(new SlowClient(frontend, headers: i % 2 == 0).RunAsync(KeepGoing, tallies, leaks, stop.Token))));
        workers.AddRange(canaries.Select(c => Guard(c.RunAsync(KeepGoing, CanaryPause, stop.Token))));
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reporting = ReportProgressAsync(started, args.Duration, tallies, progressStop.Token);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        await progressStop.CancelAsync().ConfigureAwait(false);
        await reporting.ConfigureAwait(false);
        await sampler.StopAsync().ConfigureAwait(false);

        // One more look by every real user, after the last hostile request.
        foreach (var user in canaries)
        {
            await user.CheckOnceAsync(ct).ConfigureAwait(false);
        }

        var crashed = deployment.Nodes.Where(n => !n.IsAlive || n.Pid != pidsBefore[n.Name]).Select(static n => n.Name).ToList();
        if (!ProcFs.IsRunning(haproxyPid))
        {
            crashed.Add("haproxy");
        }

        var attacks = tallies.Values.Select(static t => t.Snapshot()).ToList();
        var canaryLatency = new LatencyHistogram();
        canaries.ForEach(c => canaryLatency.Add(c.Latency));
        var canary = new CanaryFigures
        {
            Users = canaries.Count,
            SecretsWatched = leaks.Count,
            Checks = canaries.Sum(static c => c.Checks),
            Mismatches = canaries.Sum(static c => c.Mismatches),
            Errors = canaries.Sum(static c => c.Errors),
            P50Ms = Math.Round(canaryLatency.PercentileMs(50), 1),
            P99Ms = Math.Round(canaryLatency.PercentileMs(99), 1),
            Examples = [.. canaries.SelectMany(static c => c.Examples).Take(CanaryUser.MaxExamples)],
        };
        var processes = sampler.Summarize(UsageTolerance.Default);
        var hostile = attacks.Sum(static a => a.Requests);
        var result = new AbuseResult
        {
            Strategy = deployment.Strategy.Name,
            Nodes = deployment.Nodes.Count,
            StartedAt = startedAt,
            DurationSeconds = Math.Round(elapsed.TotalSeconds, 1),
            Attackers = args.Attackers,
            SlowClients = args.SlowClients,
            HostileRequests = hostile,
            HostileRps = Math.Round(hostile / Math.Max(1, args.Duration.TotalSeconds), 1),
            ServerErrors = attacks.Sum(static a => a.ServerErrors),
            Hangs = attacks.Sum(static a => a.TimedOut + a.Refused),
            Violations = attacks.Sum(static a => a.Violations),
            Leaks = attacks.Sum(static a => a.Leaks),
            Attacks = attacks,
            Canary = canary,
            Processes = processes,
            Crashed = crashed,
        };
        return result with { Failures = Failures(result, deployment) };
    }

    /// <summary>Every check of the run that did not hold.</summary>
    internal static IReadOnlyList<string> Failures(AbuseResult result, LabDeployment? deployment)
    {
        var failures = new List<string>();
        void Add(bool failed, string why)
        {
            if (failed)
            {
                failures.Add(why);
            }
        }

        Add(result.Leaks > 0, string.Create(CultureInfo.InvariantCulture, $"{result.Leaks} hostile answers held a real user's canary, name or session id"));
        Add(result.Canary.Mismatches > 0, string.Create(CultureInfo.InvariantCulture, $"{result.Canary.Mismatches} answers to real users were wrong (another user, a changed canary, a counter out of step)"));
        Add(result.ServerErrors > 0, string.Create(CultureInfo.InvariantCulture, $"{result.ServerErrors} hostile requests got a 5xx"));
        Add(result.Hangs > 0, string.Create(CultureInfo.InvariantCulture, $"{result.Hangs} hostile requests hung or were refused"));
        Add(result.Violations > 0, string.Create(CultureInfo.InvariantCulture, $"{result.Violations} hostile answers failed their own check"));
        Add(result.Crashed.Count > 0, $"{string.Join(", ", result.Crashed)} died or restarted");
        Add(result.Canary.Errors > 0, string.Create(CultureInfo.InvariantCulture, $"{result.Canary.Errors} real users' requests failed"));
        var nodeNames = deployment?.Nodes.Select(static n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var process in result.Processes.Where(p => !p.Flat && (nodeNames is null || nodeNames.Contains(p.Name))))
        {
            failures.Add($"{process.Name} grew over the second half of the run ({Describe(process)})");
        }

        return failures;
    }

    private static string Describe(ProcessUsage process)
    {
        var parts = new List<string>();
        if (process.MemoryBytes is { Flat: false } memory)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"memory +{ResourceTrend.MiB(memory.SecondHalfGrowth)} MiB, over the {ResourceTrend.MiB(memory.Tolerance)} MiB allowed"));
        }

        if (process.Threads is { Flat: false } threads)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"threads +{threads.SecondHalfGrowth:0.#}, over {threads.Tolerance:0.#}"));
        }

        if (process.Handles is { Flat: false } handles)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"descriptors +{handles.SecondHalfGrowth:0.#}, over {handles.Tolerance:0.#}"));
        }

        return string.Join("; ", parts);
    }

    private static async Task Guard(Task worker)
    {
        try
        {
            await worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped at the overrun bound: what it measured is kept.
        }
    }

    private async Task ReportProgressAsync(long started, TimeSpan duration, IReadOnlyDictionary<string, AttackTally> tallies, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), time, ct).ConfigureAwait(false);
                var figures = tallies.Values.Select(static t => t.Snapshot()).ToList();
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[abuse] {Math.Min(time.GetElapsedTime(started).TotalSeconds, duration.TotalSeconds),3:0}s/{duration.TotalSeconds:0}s  hostile requests {figures.Sum(static f => f.Requests)}  5xx {figures.Sum(static f => f.ServerErrors)}  hung {figures.Sum(static f => f.TimedOut)}  check failures {figures.Sum(static f => f.Violations)}  leaks {figures.Sum(static f => f.Leaks)}")).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
