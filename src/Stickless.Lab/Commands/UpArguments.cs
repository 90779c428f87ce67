using Stickless.Lab.Bench;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Commands;

/// <summary>What <c>stickless up</c> was asked to do.</summary>
internal sealed record UpArguments
{
    /// <summary>The usage line.</summary>
    public static string Usage => $"stickless up [--strategy {LabStrategies.Names}] [--nodes 3] [--port 8080] [--dashboard-port 8081] [--probe on|off] [--lab-dir DIR]";

    private static readonly string[] Known = ["strategy", "nodes", "port", "dashboard-port", "probe", "lab-dir"];

    /// <summary>The strategy. Default redis (the recommended one).</summary>
    public string Strategy { get; init; } = "redis";

    /// <summary>Festa nodes. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>HAProxy's port; 0 picks a free one. Default 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The dashboard's port; 0 picks a free one. Default 8081 (a free one when 8081 is taken).</summary>
    public int DashboardPort { get; init; } = 8081;

    /// <summary>Whether the dashboard's session probe runs. Default on.</summary>
    public bool Probe { get; init; } = true;

    /// <summary>The lab folder; null: <c>STICKLESS_LAB_DIR</c> or <c>&lt;repo&gt;/.lab</c>.</summary>
    public string? LabDirectory { get; init; }

    /// <summary>Reads the command line after <c>up</c>.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out UpArguments result, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, Known);
        var defaults = new UpArguments();
        var probe = reader.String("probe", "on");
        var strategy = reader.String("strategy", defaults.Strategy);
        result = new UpArguments
        {
            Strategy = strategy,
            Nodes = reader.Int("nodes", defaults.Nodes, 1, 16),
            Port = reader.Int("port", defaults.Port, 0, 65535),
            DashboardPort = reader.Int("dashboard-port", defaults.DashboardPort, 0, 65535),
            Probe = probe is "on",
            LabDirectory = reader.OptionalString("lab-dir"),
        };
        if (probe is not ("on" or "off"))
        {
            reader.AddError($"--probe must be on or off, not '{probe}'");
        }

        if (!LabStrategies.All.Any(s => string.Equals(s.Name, strategy, StringComparison.OrdinalIgnoreCase)))
        {
            reader.AddError($"unknown strategy '{strategy}' (known: {LabStrategies.Names})");
        }

        errors = reader.Errors;
        return errors.Count == 0;
    }
}
