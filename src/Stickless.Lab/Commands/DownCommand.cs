using Stickless.Lab.Bench;
using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Commands;

/// <summary>
/// <c>stickless down</c>: asks a running lab to stop (SIGTERM, as Ctrl-C), then kills whatever a pid file still
/// names, checking each process's start time so a recycled pid is never touched.
/// </summary>
internal static class DownCommand
{
    /// <summary>The usage line.</summary>
    public const string Usage = "stickless down [--lab-dir DIR]";

    private static readonly TimeSpan LabStopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Reads the command line after <c>down</c>: only the lab folder.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out string? labDirectory, out IReadOnlyList<string> errors)
    {
        var reader = new ArgumentReader(args, ["lab-dir"]);
        labDirectory = reader.OptionalString("lab-dir");
        errors = reader.Errors;
        return errors.Count == 0;
    }

    /// <summary>Runs the command; 0 when nothing of the lab runs any more.</summary>
    public static async Task<int> RunAsync(string? labDirectory, ILabLog log, TextWriter output, CancellationToken cancellationToken)
    {
        var paths = LabPaths.Resolve(labDirectory);
        var stoppedLab = await LabInstance.StopRunningAsync(paths.PidDirectory, LabStopTimeout, log, cancellationToken).ConfigureAwait(false);
        var swept = await LeftoverSweeper.SweepAsync(paths.PidDirectory, log, cancellationToken).ConfigureAwait(false);
        if (LabInstance.FindRunning(paths.PidDirectory) is null)
        {
            PidFile.Delete(Path.Combine(paths.PidDirectory, LeftoverSweeper.LabPidFileName));
            PidFile.Delete(paths.StateFile);
        }

        output.WriteLine((stoppedLab, swept) switch
        {
            (0, 0) => "Nothing of the lab was running.",
            (_, 0) => "Stopped the lab.",
            (0, _) => $"Stopped {swept} leftover process(es) of a lab that had crashed.",
            (_, _) => $"Stopped the lab, and {swept} process(es) it left behind.",
        });
        return 0;
    }
}
