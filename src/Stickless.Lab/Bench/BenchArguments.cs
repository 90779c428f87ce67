using Stickless.Lab.Deployment;

namespace Stickless.Lab.Bench;

/// <summary>What <c>stickless bench</c> was asked to do.</summary>
internal sealed record BenchArguments
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "stickless bench [--strategies local,sticky,redis] [--users 40] [--duration 20] [--nodes 3] [--out DIR] [--write-fraction 0.12] [--seed 1] [--dashboard-port 0|PORT|off]"
        + " [--persistence none,rdb,aof-everysec,aof-always] [--store-proxy off|on|both]";

    private static readonly string[] Known =
    [
        "strategies", "strategy", "users", "duration", "nodes", "out", "write-fraction", "seed", "dashboard-port", "persistence", "store-proxy",
    ];

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

    /// <summary>The lab folder (pid files, run directories); null: <c>STICKLESS_LAB_DIR</c> or <c>&lt;repo&gt;/.lab</c>.</summary>
    public string? LabDirectory { get; init; }

    /// <summary>Persistence settings to bench side by side (each strategy once per setting; redis only); empty (default): the strategy's default.</summary>
    public IReadOnlyList<RedisPersistence> Persistence { get; init; } = [];

    /// <summary>
    /// Whether nodes reach the store through the lab's fault proxies (with no fault: what the proxies cost): false only
    /// (default, <c>off</c>), true only (<c>on</c>), or both side by side (<c>both</c>).
    /// </summary>
    public IReadOnlyList<bool> StoreProxy { get; init; } = [false];

    /// <summary>Reads the command line after <c>bench</c>.</summary>
    /// <returns>False with every problem listed in <paramref name="errors"/>.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out BenchArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known);
        var defaults = new BenchArguments();
        result = new BenchArguments
        {
            Strategies = reader.List("strategies", reader.List("strategy", defaults.Strategies)),
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
        };
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
