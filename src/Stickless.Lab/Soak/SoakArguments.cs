using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Soak;

/// <summary>What <c>stickless soak</c> was asked to do.</summary>
internal sealed record SoakArguments
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "stickless soak [--strategy redis] [--duration 600] [--fault-every 60] [--faults f1,f2,…] [--users 40] [--nodes 3] [--write-fraction 0.12] [--persistence aof-everysec] [--seed 1] [--out DIR]";

    private static readonly string[] Known = ["strategy", "duration", "fault-every", "faults", "users", "nodes", "write-fraction", "persistence", "seed", "out", "lab-dir"];

    /// <summary>The strategy under soak. Default redis.</summary>
    public string Strategy { get; init; } = "redis";

    /// <summary>How long the workload runs. Default 10 minutes.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time between faults (the first strikes after one period). Default 60 s.</summary>
    public TimeSpan FaultEvery { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The faults to rotate through, in order; empty (default): the strategy's own (<see cref="SoakPlan.DefaultFaults"/>).</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];

    /// <summary>Concurrent virtual users. Default 40.</summary>
    public int Users { get; init; } = 40;

    /// <summary>Festa nodes. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>The fraction of requests that write. Default 0.12.</summary>
    public double WriteFraction { get; init; } = 0.12;

    /// <summary>Redis persistence; null: <see cref="SoakPlan.DefaultPersistence"/> (aof-everysec for redis, so that restart-store promises nothing lost).</summary>
    public RedisPersistence? Persistence { get; init; }

    /// <summary>The seed of the users' choices. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where <c>soak.json</c> and <c>soak.md</c> go. Default <c>soak-results</c>.</summary>
    public string OutDirectory { get; init; } = "soak-results";

    /// <summary>The lab folder; null: <c>STICKLESS_LAB_DIR</c> or <c>&lt;repo&gt;/.lab</c>.</summary>
    public string? LabDirectory { get; init; }

    /// <summary>Reads the command line after <c>soak</c>.</summary>
    /// <returns>False with every problem listed in <paramref name="errors"/>.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out SoakArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known);
        var defaults = new SoakArguments();
        var persistence = BenchArguments.Persistences(reader);
        result = new SoakArguments
        {
            Strategy = reader.String("strategy", defaults.Strategy),
            Duration = reader.Seconds("duration", defaults.Duration, 10, 24 * 3600),
            FaultEvery = reader.Seconds("fault-every", defaults.FaultEvery, 5, 3600),
            Faults = reader.List("faults", []),
            Users = reader.Int("users", defaults.Users, 1, 10_000),
            Nodes = reader.Int("nodes", defaults.Nodes, 1, 16),
            WriteFraction = reader.Double("write-fraction", defaults.WriteFraction, 0, 1),
            Persistence = persistence.Count > 0 ? persistence[0] : null,
            Seed = reader.Int("seed", defaults.Seed, int.MinValue, int.MaxValue),
            OutDirectory = reader.String("out", defaults.OutDirectory),
            LabDirectory = reader.OptionalString("lab-dir"),
        };
        if (persistence.Count > 1)
        {
            reader.AddError("--persistence takes one setting for a soak");
        }

        foreach (var fault in result.Faults.Where(f => !FaultRegistry.TryCreate(f, out _)))
        {
            reader.AddError($"unknown fault '{fault}' (known: {string.Join(", ", FaultRegistry.Names)})");
        }

        if (result.FaultEvery >= result.Duration)
        {
            reader.AddError($"--fault-every {result.FaultEvery.TotalSeconds:0} s leaves no fault in a {result.Duration.TotalSeconds:0} s soak");
        }

        errors = reader.Errors;
        return errors.Count == 0;
    }
}
