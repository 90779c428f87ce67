using Stickless.Lab.Bench;
using Stickless.Lab.Deployment;
using Stickless.Lab.Matrix;

namespace Stickless.Lab.Chaos;

/// <summary>What <c>stickless chaos</c> was asked to do.</summary>
internal sealed record ChaosArguments
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "stickless chaos --strategy S --fault kill-node [--fault-at 0.4] [--users 40] [--duration 20] [--nodes 3] [--out DIR] [--seed 1]"
        + " [--latency 500ms] [--jitter 0ms] [--fault-for 5s] [--fault-nodes all|N] [--persistence none,rdb,aof-everysec,aof-always] [--near-cache off|on]\n"
        + "                 --matrix [--strategies a,b] [--faults x,y] [--budget 75] [--users 30] [--duration 20] [--write-fraction 0.3] [--out matrix-results]";

    private static readonly string[] Known =
    [
        "strategy", "fault", "fault-at", "users", "duration", "nodes", "out", "write-fraction", "seed",
        "latency", "jitter", "fault-for", "fault-nodes", "persistence", "near-cache", "strategies", "faults", "budget", "lab-dir",
    ];

    private static readonly string[] Flags = ["matrix"];

    /// <summary>The strategy under test. Default sticky.</summary>
    public string Strategy { get; init; } = "sticky";

    /// <summary>The fault's name in <see cref="FaultRegistry"/>. Default kill-node.</summary>
    public string Fault { get; init; } = KillNodeFault.FaultName;

    /// <summary>When the fault strikes, as a fraction of the duration. Default 0.4.</summary>
    public double FaultAt { get; init; } = 0.4;

    /// <summary>Concurrent virtual users. Default 40.</summary>
    public int Users { get; init; } = 40;

    /// <summary>The measured time. Default 20 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Festa nodes behind HAProxy. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Where <c>results.json</c> and <c>report.html</c> go (merged with a bench's). Default <c>chaos-results</c>.</summary>
    public string OutDirectory { get; init; } = "chaos-results";

    /// <summary>The fraction of requests that write. Default 0.12.</summary>
    public double WriteFraction { get; init; } = 0.12;

    /// <summary>The seed of the users' choices. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The lab folder; null: <c>STICKLESS_LAB_DIR</c> or <c>&lt;repo&gt;/.lab</c>.</summary>
    public string? LabDirectory { get; init; }

    /// <summary>The fault's parameters (<c>--latency</c>, <c>--jitter</c>, <c>--fault-for</c>, <c>--fault-nodes</c>). Default none: the fault's own defaults.</summary>
    public FaultSettings Settings { get; init; } = FaultSettings.Default;

    /// <summary>True for <c>--matrix</c>: the whole fault × strategy table (<see cref="MatrixPlan"/>) instead of one run.</summary>
    public bool Matrix { get; init; }

    /// <summary>For <c>--matrix</c>: only these strategies (empty: all).</summary>
    public IReadOnlyList<string> MatrixStrategies { get; init; } = [];

    /// <summary>For <c>--matrix</c>: only these faults (empty: all).</summary>
    public IReadOnlyList<string> MatrixFaults { get; init; } = [];

    /// <summary>For <c>--matrix</c>: the time the whole table may take. Default 75 minutes.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(75);

    /// <summary>The store's persistence settings to run the fault under, one run each, in order; empty (default): the strategy's default.</summary>
    public IReadOnlyList<RedisPersistence> Persistence { get; init; } = [];

    /// <summary>True to run the Festa nodes with the near cache on (<c>--near-cache on</c>). Default false.</summary>
    public bool NearCache { get; init; }

    /// <summary>Reads the command line after <c>chaos</c>.</summary>
    /// <returns>False with every problem listed in <paramref name="errors"/>.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out ChaosArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known, Flags);
        if (reader.Flag("matrix"))
        {
            return TryParseMatrix(reader, out result, out errors);
        }

        foreach (var option in new[] { "strategies", "faults", "budget" })
        {
            if (reader.Has(option))
            {
                reader.AddError($"--{option} applies to --matrix");
            }
        }

        var defaults = new ChaosArguments();
        result = new ChaosArguments
        {
            Strategy = reader.String("strategy", defaults.Strategy),
            Fault = reader.String("fault", defaults.Fault),
            FaultAt = reader.Double("fault-at", defaults.FaultAt, 0, 1),
            Users = reader.Int("users", defaults.Users, 1, 10_000),
            Duration = reader.Seconds("duration", defaults.Duration, 1, 3600),
            Nodes = reader.Int("nodes", defaults.Nodes, 1, 16),
            OutDirectory = reader.String("out", defaults.OutDirectory),
            WriteFraction = reader.Double("write-fraction", defaults.WriteFraction, 0, 1),
            Seed = reader.Int("seed", defaults.Seed, int.MinValue, int.MaxValue),
            LabDirectory = reader.OptionalString("lab-dir"),
            Settings = new FaultSettings
            {
                Latency = reader.Duration("latency", TimeSpan.Zero, TimeSpan.FromMinutes(1)),
                Jitter = reader.Duration("jitter", TimeSpan.Zero, TimeSpan.FromMinutes(1)),
                HoldFor = reader.Duration("fault-for", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
                Nodes = reader.OptionalString("fault-nodes") is null or "all" ? null : reader.Int("fault-nodes", 1, 1, 16),
            },
            Persistence = BenchArguments.Persistences(reader),
            NearCache = reader.OptionalString("near-cache") switch
            {
                null or "off" => false,
                "on" => true,
                var other => InvalidNearCache(reader, other),
            },
        };
        if (!FaultRegistry.TryCreate(result.Fault, result.Settings, out var fault))
        {
            reader.AddError($"unknown fault '{result.Fault}' (known: {string.Join(", ", FaultRegistry.Names)})");
        }
        else
        {
            ValidateFaultOptions(reader, result, fault);
        }

        errors = reader.Errors;
        return errors.Count == 0;
    }

    private static bool InvalidNearCache(ArgumentReader reader, string value)
    {
        reader.AddError($"--near-cache must be off or on, not '{value}'");
        return false;
    }

    private static bool TryParseMatrix(ArgumentReader reader, out ChaosArguments result, out IReadOnlyList<string> errors)
    {
        foreach (var option in new[] { "strategy", "fault", "fault-at", "latency", "jitter", "fault-for", "fault-nodes", "persistence", "near-cache" })
        {
            if (reader.Has(option))
            {
                reader.AddError($"--{option} does not apply to --matrix: each cell has its own (use --strategies and --faults to choose cells)");
            }
        }

        var defaults = new MatrixOptions();
        result = new ChaosArguments
        {
            Matrix = true,
            MatrixStrategies = reader.List("strategies", []),
            MatrixFaults = reader.List("faults", []),
            Budget = TimeSpan.FromMinutes(reader.Double("budget", 75, 1, 24 * 60)),
            Users = reader.Int("users", defaults.Users, 1, 10_000),
            Duration = reader.Seconds("duration", defaults.Duration, 10, 3600),
            Nodes = reader.Int("nodes", defaults.Nodes, 2, 16),
            OutDirectory = reader.String("out", "matrix-results"),
            WriteFraction = reader.Double("write-fraction", defaults.WriteFraction, 0, 1),
            Seed = reader.Int("seed", defaults.Seed, int.MinValue, int.MaxValue),
            LabDirectory = reader.OptionalString("lab-dir"),
        };
        foreach (var strategy in result.MatrixStrategies.Where(n => !Deployment.LabStrategies.All.Any(s => s.Name == n)))
        {
            reader.AddError($"unknown strategy '{strategy}' (known: {Deployment.LabStrategies.Names})");
        }

        foreach (var fault in result.MatrixFaults.Where(static f => !FaultRegistry.TryCreate(f, out _)))
        {
            reader.AddError($"unknown fault '{fault}' (known: {string.Join(", ", FaultRegistry.Names)})");
        }

        if (reader.Errors.Count == 0 && MatrixPlan.Select(result.MatrixStrategies, result.MatrixFaults).Count == 0)
        {
            reader.AddError("no cell of the matrix has those strategies and faults");
        }

        errors = reader.Errors;
        return errors.Count == 0;
    }

    private static void ValidateFaultOptions(ArgumentReader reader, ChaosArguments result, IFault fault)
    {
        string[] linkFaults = [StoreLinkFault.SlowStoreName, StoreLinkFault.BlackholeStoreName];
        string[] heldFaults = [.. linkFaults, PartitionPeersFault.FaultName, PartitionPeersFault.OldName, PartitionMasterFault.FaultName];
        foreach (var option in new[] { "latency", "jitter" })
        {
            if (reader.Has(option) && result.Fault != StoreLinkFault.SlowStoreName)
            {
                reader.AddError($"--{option} applies to --fault {StoreLinkFault.SlowStoreName}, not {result.Fault}");
            }
        }

        if (reader.Has("fault-for") && !heldFaults.Contains(result.Fault))
        {
            reader.AddError($"--fault-for applies to --fault {string.Join(", ", heldFaults[..^1])} or {heldFaults[^1]}, not {result.Fault}");
        }

        if (fault is PartitionPeersFault partition && partition.Hold < PartitionPeersFault.MinimumHold)
        {
            reader.AddError($"--fault-for of {result.Fault} must be at least {PartitionPeersFault.MinimumHold.TotalSeconds:0} s, so that each side notices the cut before the probe writes");
        }

        if (reader.Has("fault-nodes") && !linkFaults.Contains(result.Fault))
        {
            reader.AddError($"--fault-nodes applies to --fault {string.Join(" or ", linkFaults)}, not {result.Fault}");
        }

        if (result.Settings.Nodes > result.Nodes)
        {
            reader.AddError($"--fault-nodes {result.Settings.Nodes} is more than the {result.Nodes} nodes of the run");
        }

        // A fault still holding when the run ends would be cut short and its window never measured.
        var hold = fault.Lasts;
        if ((result.Duration * result.FaultAt) + hold >= result.Duration)
        {
            reader.AddError($"the fault would outlast the run: it strikes at {(result.Duration * result.FaultAt).TotalSeconds:0.#} s and holds {hold.TotalSeconds:0.#} s of a {result.Duration.TotalSeconds:0.#} s run (lower --fault-at or --fault-for, or raise --duration)");
        }
    }
}
