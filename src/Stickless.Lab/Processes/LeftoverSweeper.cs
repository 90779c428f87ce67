using Stickless.Lab.Deployment;

namespace Stickless.Lab.Processes;

/// <summary>
/// Kills what a crashed lab left behind: every process named by a pid file that still runs as the same
/// process (same pid and start time) while the lab process that started it is gone, then deletes those pid files.
/// Processes of a lab process that still runs (a bench in another terminal) are left to it.
/// </summary>
internal static class LeftoverSweeper
{
    /// <summary>The pid file of the lab process itself; the sweeper leaves it to <see cref="LabInstance"/>.</summary>
    public const string LabPidFileName = "lab.pid";

    /// <summary>The lab processes (not this one) that own running processes of <paramref name="pidDirectory"/>: <c>up</c>, <c>bench</c>, <c>chaos</c>.</summary>
    public static IReadOnlyList<PidFileRecord> LiveOwners(string pidDirectory) =>
        !Directory.Exists(pidDirectory)
            ? []
            : [.. Directory.EnumerateFiles(pidDirectory, "*.pid")
                .Select(PidFile.TryRead)
                .OfType<PidFileRecord>()
                .Where(r => r.IsOwnerRunning && r.OwnerPid != Environment.ProcessId)
                .DistinctBy(r => (r.OwnerPid, r.OwnerStartTime))
                .Select(r => new PidFileRecord("lab", r.OwnerPid, r.OwnerStartTime, ProcFs.CommandLine(r.OwnerPid)))];

    /// <summary>Kills leftovers named in <paramref name="pidDirectory"/>; answers how many it killed.</summary>
    public static async Task<int> SweepAsync(string pidDirectory, ILabLog log, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(pidDirectory))
        {
            return 0;
        }

        var killed = 0;
        foreach (var path in Directory.EnumerateFiles(pidDirectory, "*.pid"))
        {
            if (Path.GetFileName(path) == LabPidFileName)
            {
                continue;
            }

            var record = PidFile.TryRead(path);
            if (record is not null && record.IsOwnerRunning)
            {
                continue;
            }

            if (record is not null && record.Pid != Environment.ProcessId && record.IsRunning)
            {
                log.Info($"stopping leftover {record.Name} (pid {record.Pid}): {record.Command}");
                PosixSignals.TrySend(record.Pid, PosixSignals.Kill);
                if (!await ProcFs.WaitForExitAsync(record.Pid, record.StartTime, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
                {
                    throw new TimeoutException($"leftover {record.Name} (pid {record.Pid}) did not exit after SIGKILL.");
                }

                killed++;
            }

            PidFile.Delete(path);
        }

        return killed;
    }
}
