using Stickless.Lab.Bench;

namespace Stickless.Lab.Abuse;

/// <summary>What <c>stickless abuse</c> was asked to do.</summary>
internal sealed record AbuseArguments
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "stickless abuse [--strategy redis] [--nodes 3] [--duration 60] [--attackers 8] [--slow 16] [--users 8] [--seed 1] [--out DIR]";

    private static readonly string[] Known = ["strategy", "nodes", "duration", "attackers", "slow", "users", "seed", "out", "lab-dir"];

    /// <summary>The strategy under abuse. Default redis.</summary>
    public string Strategy { get; init; } = "redis";

    /// <summary>Festa nodes behind HAProxy. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>How long the abuse runs. Default 60 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Hostile clients sending back to back. Default 8.</summary>
    public int Attackers { get; init; } = 8;

    /// <summary>Slow clients (half heads, half bodies). Default 16.</summary>
    public int SlowClients { get; init; } = 16;

    /// <summary>Real users with canaries. Default 8.</summary>
    public int Users { get; init; } = 8;

    /// <summary>The seed of the attackers' choices. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where <c>abuse.json</c> goes. Default <c>abuse-results</c>.</summary>
    public string OutDirectory { get; init; } = "abuse-results";

    /// <summary>The lab folder; null: <c>STICKLESS_LAB_DIR</c> or <c>&lt;repo&gt;/.lab</c>.</summary>
    public string? LabDirectory { get; init; }

    /// <summary>Reads the command line after <c>abuse</c>.</summary>
    /// <returns>False with every problem listed in <paramref name="errors"/>.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out AbuseArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known);
        var defaults = new AbuseArguments();
        result = new AbuseArguments
        {
            Strategy = reader.String("strategy", defaults.Strategy),
            Nodes = reader.Int("nodes", defaults.Nodes, 1, 16),
            Duration = reader.Seconds("duration", defaults.Duration, 5, 3600),
            Attackers = reader.Int("attackers", defaults.Attackers, 1, 256),
            SlowClients = reader.Int("slow", defaults.SlowClients, 0, 1000),
            Users = reader.Int("users", defaults.Users, 1, 100),
            Seed = reader.Int("seed", defaults.Seed, int.MinValue, int.MaxValue),
            OutDirectory = reader.String("out", defaults.OutDirectory),
            LabDirectory = reader.OptionalString("lab-dir"),
        };
        errors = reader.Errors;
        return errors.Count == 0;
    }
}
