using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>What <c>stickless bench</c> was asked to do.</summary>
internal sealed record BenchArguments
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "stickless bench [--strategies local,sticky,redis] [--users 40] [--duration 20] [--nodes 3] [--out DIR] [--write-fraction 0.12] [--seed 1] [--dashboard-port 0|PORT|off]\n"
        + "                 [--compare] [--workload mixed|read|write|contended] [--connections 32] [--sessions 64] [--rounds 1]\n"
        + "                 [--persistence none,rdb,aof-everysec,aof-always] [--store-proxy off|on|both] [--near-cache off|on|both]\n"
        + "                 [--session-free] [--logout-trials 0]";

    /// <summary>The strategies <c>--compare</c> measures when <c>--strategies</c> is not given: Stickless on Redis and its peers.</summary>
    public static readonly IReadOnlyList<string> CompareStrategies = ["redis", "aspnetcore-redis", "express-redis"];

    private static readonly string[] Known =
    [
        "strategies", "strategy", "users", "duration", "nodes", "out", "write-fraction", "seed", "dashboard-port", "workload", "connections", "sessions", "rounds",
        "persistence", "store-proxy", "near-cache", "logout-trials",
    ];

    private static readonly string[] Flags = ["compare", "session-free"];

    /// <summary>The strategies to measure, one after the other. Default local, sticky, redis.</summary>
    public IReadOnlyList<string> Strategies { get; init; } = ["local", "sticky", "redis"];

    /// <summary>Concurrent virtual users. Default 40.</summary>
    public int Users { get; init; } = 40;

    /// <summary>The measured time per strategy. Default 20 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Festa nodes behind HAProxy. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Where <c>results.json</c> and <c>report.html</c> go. Default <c>bench-results</c>.</summary>
    public string OutDirectory { get; init; } = "bench-results";

    /// <summary>The fraction of requests that write. Default 0.12.</summary>
    public double WriteFraction { get; init; } = 0.12;

    /// <summary>The seed of the users' choices. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Where each strategy's live dashboard listens while it runs: 0 (default) a free port, a port number
    /// (a busy one falls back to a free port), or null for no dashboard (<c>--dashboard-port off</c>).
    /// </summary>
    public int? DashboardPort { get; init; } = 0;

    /// <summary>
    /// Stickless against its peers: the strategies default to <see cref="CompareStrategies"/>, each gets a fixation
    /// check, and the report opens with the headline table. Default false.
    /// </summary>
    public bool Compare { get; init; }

    /// <summary>What the users do. Default <see cref="WorkloadKind.Mixed"/>.</summary>
    public WorkloadKind Workload { get; init; } = WorkloadKind.Mixed;

    /// <summary>Concurrent connections of the read, write and contended workloads. Default 32.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Sessions the write workload spreads its requests over. Default 64.</summary>
    public int Sessions { get; init; } = 64;

    /// <summary>
    /// Rounds per strategy, alternating between the strategies (every deployment stays up meanwhile), so that a change
    /// of the machine's load between rounds touches every strategy alike. Default 1.
    /// </summary>
    public int Rounds { get; init; } = 1;

    /// <summary>
    /// True when the strategies run side by side in alternating rounds (<see cref="Compare"/>, more than one round, or a
    /// focused workload); false for the classic bench, one strategy after the other.
    /// </summary>
    public bool Alternates => Compare || Rounds > 1 || Workload != WorkloadKind.Mixed;

    /// <summary>The lab folder (pid files, run directories); null: <c>STICKLESS_LAB_DIR</c> or <c>&lt;repo&gt;/.lab</c>.</summary>
    public string? LabDirectory { get; init; }

    /// <summary>Persistence settings to bench side by side (each strategy once per setting; redis only); empty (default): the strategy's default.</summary>
    public IReadOnlyList<RedisPersistence> Persistence { get; init; } = [];

    /// <summary>
    /// Whether nodes reach the store through the lab's fault proxies (with no fault: what the proxies cost): false only
    /// (default, <c>off</c>), true only (<c>on</c>), or both side by side (<c>both</c>).
    /// </summary>
    public IReadOnlyList<bool> StoreProxy { get; init; } = [false];

    /// <summary>
    /// Whether the Festa nodes keep copies of sessions (<c>Stickless:NearCache:Enabled</c>): off only (default,
    /// <c>off</c>), on only (<c>on</c>), or both side by side (<c>both</c>, the near cache first). The peers run as they are.
    /// </summary>
    public IReadOnlyList<bool> NearCache { get; init; } = [false];

    /// <summary>
    /// With the read workload: beside each Festa strategy's read rounds, the same connections ask the same node's
    /// session-free <c>GET /baseline</c> (the size of <c>GET /me</c>), as a row of the same table. Default false.
    /// </summary>
    public bool SessionFree { get; init; }

    /// <summary>
    /// Logouts to time per strategy before the rounds (needs 2 nodes or more): sign in on node 1, read on node 2, log out
    /// on node 1, and time how long node 2 still answers as signed in. Default 0 (none).
    /// </summary>
    public int LogoutTrials { get; init; }

    /// <summary>Reads the command line after <c>bench</c>.</summary>
    /// <returns>False with every problem listed in <paramref name="errors"/>.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out BenchArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known, Flags);
        var defaults = new BenchArguments();
        var compare = reader.Flag("compare");
        var workloadName = reader.OptionalString("workload");
        var workload = WorkloadKind.Mixed;
        if (workloadName is not null && !WorkloadKinds.TryParse(workloadName, out workload))
        {
            reader.AddError($"--workload must be one of {WorkloadKinds.Names}, not '{workloadName}'");
        }

        result = new BenchArguments
        {
            Strategies = reader.List("strategies", reader.List("strategy", compare ? CompareStrategies : defaults.Strategies)),
            Compare = compare,
            Workload = workload,
            Connections = reader.Int("connections", defaults.Connections, 1, 1_000),
            Sessions = reader.Int("sessions", defaults.Sessions, 1, 10_000),
            Rounds = reader.Int("rounds", defaults.Rounds, 1, 100),
            Users = reader.Int("users", defaults.Users, 1, 10_000),
            Duration = reader.Seconds("duration", defaults.Duration, 1, 3600),
            Nodes = reader.Int("nodes", defaults.Nodes, 1, 16),
            OutDirectory = reader.String("out", defaults.OutDirectory),
            WriteFraction = reader.Double("write-fraction", defaults.WriteFraction, 0, 1),
            Seed = reader.Int("seed", defaults.Seed, int.MinValue, int.MaxValue),
            DashboardPort = reader.OptionalString("dashboard-port") is "off" ? null : reader.Int("dashboard-port", 0, 0, 65535),
            Persistence = Persistences(reader),
            StoreProxy = reader.OptionalString("store-proxy") switch
            {
                null or "off" => [false],
                "on" => [true],
                "both" => [false, true],
                var other => Invalid(reader, $"--store-proxy must be off, on or both, not '{other}'"),
            },
            NearCache = reader.OptionalString("near-cache") switch
            {
                null or "off" => [false],
                "on" => [true],
                "both" => [true, false],
                var other => Invalid(reader, $"--near-cache must be off, on or both, not '{other}'"),
            },
            SessionFree = reader.Flag("session-free"),
            LogoutTrials = reader.Int("logout-trials", 0, 0, 10_000),
        };
        if (result.SessionFree && result.Workload != WorkloadKind.Read)
        {
            reader.AddError("--session-free goes with --workload read (it measures GET /baseline beside GET /me)");
        }

        if (result.LogoutTrials > 0 && result.Nodes < 2)
        {
            reader.AddError("--logout-trials needs --nodes 2 or more (the logout on one node, the reads on another)");
        }

        if (result.Strategies.Count == 0)
        {
            reader.AddError("--strategies needs at least one strategy");
        }

        errors = reader.Errors;
        return errors.Count == 0;
    }

    /// <summary>The <c>--persistence</c> list, each name checked.</summary>
    internal static IReadOnlyList<RedisPersistence> Persistences(ArgumentReader reader)
    {
        var settings = new List<RedisPersistence>();
        foreach (var name in reader.List("persistence", []))
        {
            if (RedisPersistence.TryParse(name, out var persistence))
            {
                settings.Add(persistence);
            }
            else
            {
                reader.AddError($"unknown persistence '{name}' (known: {RedisPersistence.Names})");
            }
        }

        return settings;
    }

    private static IReadOnlyList<bool> Invalid(ArgumentReader reader, string error)
    {
        reader.AddError(error);
        return [false];
    }
}
