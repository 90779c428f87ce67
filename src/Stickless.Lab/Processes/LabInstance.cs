using Stickless.Lab.Deployment;

namespace Stickless.Lab.Processes;

/// <summary>
/// The lab process that owns a lab folder: <c>up</c> claims it with a pid file, <c>down</c> asks the owner
/// to stop (SIGTERM, which it handles like Ctrl-C) and kills it if it does not.
/// </summary>
internal sealed class LabInstance : IDisposable
{
    private readonly string path;

    private LabInstance(string path) => this.path = path;

    /// <summary>The running lab that owns <paramref name="pidDirectory"/>, if any (never this process).</summary>
    public static PidFileRecord? FindRunning(string pidDirectory)
    {
        var record = PidFile.TryRead(Path.Combine(pidDirectory, LeftoverSweeper.LabPidFileName));
        return record is not null && record.Pid != Environment.ProcessId && record.IsRunning ? record : null;
    }

    /// <summary>Claims the lab folder for this process.</summary>
    /// <exception cref="LabException">Another lab runs on this folder.</exception>
    public static LabInstance Claim(string pidDirectory, string description)
    {
        if (FindRunning(pidDirectory) is { } other)
        {
            throw new LabException($"a lab is running already (pid {other.Pid}: {other.Command}); stop it with `stickless down` first.");
        }

        var path = Path.Combine(pidDirectory, LeftoverSweeper.LabPidFileName);
        var pid = Environment.ProcessId;
        PidFile.Write(path, PidFileRecord.OwnedByThisProcess("lab", pid, ProcFs.StartTime(pid) ?? 0, description));
        return new LabInstance(path);
    }

    /// <summary>
    /// Asks every running lab process of the folder to stop (the <c>up</c> that claimed it, and any bench or chaos
    /// run that owns processes there) and waits; kills those that do not stop within <paramref name="timeout"/>.
    /// Answers how many there were.
    /// </summary>
    public static async Task<int> StopRunningAsync(string pidDirectory, TimeSpan timeout, ILabLog log, CancellationToken cancellationToken)
    {
        var labs = LeftoverSweeper.LiveOwners(pidDirectory).ToList();
        if (FindRunning(pidDirectory) is { } claimed && !labs.Any(l => l.Pid == claimed.Pid))
        {
            labs.Add(claimed);
        }

        await Task.WhenAll(labs.Select(lab => StopAsync(lab, timeout, log, cancellationToken))).ConfigureAwait(false);
        return labs.Count;
    }

    private static async Task StopAsync(PidFileRecord lab, TimeSpan timeout, ILabLog log, CancellationToken cancellationToken)
    {
        log.Info($"stopping the running lab process {lab.Pid}: {lab.Command}");
        PosixSignals.TrySend(lab.Pid, PosixSignals.Terminate);
        if (!await ProcFs.WaitForExitAsync(lab.Pid, lab.StartTime, timeout, cancellationToken).ConfigureAwait(false))
        {
            log.Warn($"the lab (pid {lab.Pid}) did not stop within {timeout.TotalSeconds:0} s; killing it");
            PosixSignals.TrySend(lab.Pid, PosixSignals.Kill);
            await ProcFs.WaitForExitAsync(lab.Pid, lab.StartTime, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the claim.</summary>
    public void Dispose()
    {
        if (PidFile.TryRead(path) is { } record && record.Pid == Environment.ProcessId)
        {
            PidFile.Delete(path);
        }
    }
}
