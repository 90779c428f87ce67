using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Commands;

/// <summary><c>stickless status</c>: what runs, from the state file and the pid files.</summary>
internal static class StatusCommand
{
    /// <summary>The usage line.</summary>
    public const string Usage = "stickless status [--lab-dir DIR]";

    /// <summary>Runs the command; 0 when a lab is up, 3 when none is.</summary>
    public static int Run(string? labDirectory, TextWriter output)
    {
        var paths = LabPaths.Resolve(labDirectory);
        var lab = LabInstance.FindRunning(paths.PidDirectory);
        var state = lab is null ? null : LabState.TryRead(paths.StateFile);
        if (lab is null)
        {
            output.WriteLine("No lab is running.");
        }
        else if (state is null || state.LabPid != lab.Pid)
        {
            output.WriteLine($"A lab is starting (pid {lab.Pid}): {lab.Command}");
        }
        else
        {
            output.WriteLine($"Lab up (pid {state.LabPid}): strategy {state.Strategy}");
            output.WriteLine($"  Festa      {state.FrontendUrl}");
            output.WriteLine($"  Dashboard  {state.DashboardUrl}");
            output.WriteLine($"  HAProxy    {state.StatsUrl}");
        }

        var records = Directory.Exists(paths.PidDirectory)
            ? Directory.EnumerateFiles(paths.PidDirectory, "*.pid").Where(p => Path.GetFileName(p) != LeftoverSweeper.LabPidFileName)
                .Select(PidFile.TryRead).OfType<PidFileRecord>().OrderBy(r => r.Name, StringComparer.Ordinal).ToList()
            : [];
        foreach (var record in records)
        {
            output.WriteLine($"  {record.Name,-10} pid {record.Pid,-7} {(record.IsRunning ? "running" : "gone")}");
        }

        if (lab is null && records.Any(r => r.IsRunning))
        {
            output.WriteLine("Processes of a crashed lab still run: `stickless down` stops them.");
        }

        return lab is null ? 3 : 0;
    }
}
