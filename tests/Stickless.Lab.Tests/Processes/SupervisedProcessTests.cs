using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests.Processes;

/// <summary>The supervisor on a plain <c>sleep</c>: pid files, stop by pid, pause and resume, and the sweep of a crashed lab's leftovers.</summary>
public sealed class SupervisedProcessTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("stickless-supervisor-").FullName;

    [Fact]
    public async Task StopAllAsync_RunningProcesses_StopsThemAndRemovesPidFiles()
    {
        var supervisor = new ProcessSupervisor(Path.Combine(directory, "pids"), "test");
        var first = await supervisor.StartAsync(Sleep("first"), CancellationToken.None);
        var second = await supervisor.StartAsync(Sleep("second"), CancellationToken.None);
        var record = PidFile.TryRead(first.PidFilePath);
        Assert.NotNull(record);
        Assert.Equal(first.Pid, record.Pid);
        Assert.True(record.IsRunning);

        await supervisor.DisposeAsync();

        Assert.False(first.IsAlive);
        Assert.False(second.IsAlive);
        Assert.False(ProcFs.IsRunning(first.Pid));
        Assert.Empty(Directory.GetFiles(Path.Combine(directory, "pids")));
    }

    [Fact]
    public async Task PauseAndResume_RunningProcess_StopsAndContinuesIt()
    {
        await using var supervisor = new ProcessSupervisor(Path.Combine(directory, "pids"), "test");
        var process = await supervisor.StartAsync(Sleep("paused"), CancellationToken.None);

        Assert.True(process.Pause());
        await WaitForStateAsync(process.Pid, 'T');
        Assert.True(process.Resume());
        await WaitForStateAsync(process.Pid, 'S');
    }

    [Fact]
    public async Task KillAsync_ThenStartAsync_RunsANewIncarnation()
    {
        await using var supervisor = new ProcessSupervisor(Path.Combine(directory, "pids"), "test");
        var process = await supervisor.StartAsync(Sleep("again"), CancellationToken.None);
        var firstPid = process.Pid;

        await process.KillAsync();
        Assert.False(process.IsAlive);
        await process.StartAsync(CancellationToken.None);

        Assert.True(process.IsAlive);
        Assert.NotEqual(firstPid, process.Pid);
        Assert.Equal(process.Pid, PidFile.TryRead(process.PidFilePath)?.Pid);
    }

    [Fact]
    public async Task SweepAsync_LeftoverOfACrashedLab_KillsItAndDeletesItsPidFile()
    {
        var pids = Path.Combine(directory, "pids");
        var supervisor = new ProcessSupervisor(pids, "crashed");
        var leftover = await supervisor.StartAsync(Sleep("leftover"), CancellationToken.None);

        // As if the lab had died: its pid file names an owner that is gone, and nobody stops the supervisor.
        var record = PidFile.TryRead(leftover.PidFilePath)!;
        PidFile.Write(leftover.PidFilePath, record with { OwnerPid = int.MaxValue - 1 });
        var killed = await LeftoverSweeper.SweepAsync(pids, new LabTestLog(), CancellationToken.None);

        Assert.Equal(1, killed);
        Assert.False(leftover.IsAlive);
        Assert.Empty(Directory.GetFiles(pids));
        await supervisor.DisposeAsync();
    }

    [Fact]
    public async Task SweepAsync_ProcessOfALabThatStillRuns_LeavesItToThatLab()
    {
        var pids = Path.Combine(directory, "pids");
        await using var supervisor = new ProcessSupervisor(pids, "bench");
        var running = await supervisor.StartAsync(Sleep("bench-node"), CancellationToken.None);

        // This test process is the owner, and it runs: a bench in another terminal, not a leftover.
        var killed = await LeftoverSweeper.SweepAsync(pids, new LabTestLog(), CancellationToken.None);

        Assert.Equal(0, killed);
        Assert.True(running.IsAlive);
        Assert.Single(Directory.GetFiles(pids));
    }

    [Fact]
    public async Task SweepAsync_PidFileOfARecycledPid_LeavesThatProcessAlone()
    {
        await using var supervisor = new ProcessSupervisor(Path.Combine(directory, "other"), "test");
        var innocent = await supervisor.StartAsync(Sleep("innocent"), CancellationToken.None);
        var pids = Path.Combine(directory, "pids");

        // The pid file names the innocent process's pid with another start time: the pid was reused.
        PidFile.Write(Path.Combine(pids, "old-node1.pid"), new PidFileRecord("node1", innocent.Pid, 1, "dotnet Festa.dll"));
        var killed = await LeftoverSweeper.SweepAsync(pids, new LabTestLog(), CancellationToken.None);

        Assert.Equal(0, killed);
        Assert.True(innocent.IsAlive);
        Assert.Empty(Directory.GetFiles(pids));
    }

    [Fact]
    public void Claim_WhileAnotherLabRuns_Refuses()
    {
        var pids = Path.Combine(directory, "pids");

        // This test process stands for a running lab: a claim written by another pid that is alive.
        var self = Environment.ProcessId;
        PidFile.Write(Path.Combine(pids, LeftoverSweeper.LabPidFileName), new PidFileRecord("lab", 1, ProcFs.StartTime(1) ?? 0, "stickless up"));
        Assert.True(ProcFs.IsRunning(1) ? LabInstance.FindRunning(pids) is not null : LabInstance.FindRunning(pids) is null);

        PidFile.Delete(Path.Combine(pids, LeftoverSweeper.LabPidFileName));
        using (LabInstance.Claim(pids, "test"))
        {
            Assert.Equal(self, PidFile.TryRead(Path.Combine(pids, LeftoverSweeper.LabPidFileName))?.Pid);
        }

        Assert.False(File.Exists(Path.Combine(pids, LeftoverSweeper.LabPidFileName)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ProcessSpec Sleep(string name) => new(name, "sleep", ["60"], Path.Combine(directory, name + ".log"), directory);

    private static async Task WaitForStateAsync(int pid, char expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!(ProcFs.TryReadStat(pid, out var state, out _) && state == expected))
        {
            Assert.True(DateTime.UtcNow < deadline, $"pid {pid} never reached state {expected}");
            await Task.Delay(10);
        }
    }
}
