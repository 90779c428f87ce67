using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>What a lab folder's processes left running: the tests' proof that the lab cleans up.</summary>
internal static class LabLeftovers
{
    /// <summary>Every pid file record in the lab folder now (the lab's own included).</summary>
    public static IReadOnlyList<PidFileRecord> Records(string labDirectory)
    {
        var pids = new LabPaths(LabPaths.Resolve().RepositoryRoot, labDirectory).PidDirectory;
        return Directory.Exists(pids)
            ? [.. Directory.GetFiles(pids, "*.pid").Select(PidFile.TryRead).OfType<PidFileRecord>()]
            : [];
    }

    /// <summary>Processes (not this one) whose command line mentions <paramref name="labDirectory"/>.</summary>
    public static IReadOnlyList<string> ProcessesMentioning(string labDirectory) =>
    [
        .. ProcFs.AllPids()
            .Where(pid => pid != Environment.ProcessId && ProcFs.IsRunning(pid))
            .Select(pid => (pid, command: ProcFs.CommandLine(pid)))
            .Where(p => p.command.Contains(labDirectory, StringComparison.Ordinal))
            .Select(p => $"{p.pid}: {p.command}"),
    ];

    /// <summary>Waits (bounded) until none of <paramref name="seen"/> runs and nothing mentions the lab folder; fails with what survived.</summary>
    public static async Task AssertNothingLeftAsync(string labDirectory, IEnumerable<PidFileRecord> seen, TimeSpan timeout)
    {
        var records = seen.DistinctBy(r => (r.Pid, r.StartTime)).ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var running = records.Where(r => r.IsRunning).Select(r => $"{r.Name} pid {r.Pid}: {r.Command}").ToList();
            var mentioning = ProcessesMentioning(labDirectory);
            if (running.Count == 0 && mentioning.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("left running:" + Environment.NewLine + string.Join(Environment.NewLine, running.Concat(mentioning)));
            }

            await Task.Delay(50);
        }
    }
}
