using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests.Commands;

/// <summary>
/// The real command line, as people run it: <c>up</c>, then <c>down</c> or Ctrl-C or a crash, each followed by the
/// proof that no process the lab started is left (every pid of its pid files gone, nothing mentioning its folder).
/// </summary>
[Collection(BenchFixture.Collection)]
public sealed class LabCliTests : IDisposable
{
    // Generous: the first start may build Festa, and the machine is shared.
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);

    private readonly string labDirectory = Directory.CreateTempSubdirectory("stickless-labcli-").FullName;

    [Fact]
    public async Task Up_ThenDown_LeavesNoProcessRunning()
    {
        await using var up = StartUp();
        await up.WaitForOutputAsync("Stickless lab is up", UpTimeout);
        var seen = LabLeftovers.Records(labDirectory);
        Assert.Contains(seen, r => r.Name == "haproxy");
        Assert.Contains(seen, r => r.Name == "node2");

        var (downExit, downOutput) = await LabCli.RunAsync(StopTimeout, "down", "--lab-dir", labDirectory);

        Assert.True(downExit == 0, downOutput);
        Assert.Contains("Stopped the lab", downOutput, StringComparison.Ordinal);
        Assert.Equal(0, await up.WaitForExitAsync(StopTimeout));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, seen, TimeSpan.FromSeconds(10));
        Assert.Empty(LabLeftovers.Records(labDirectory));
    }

    [Fact]
    public async Task Up_SigintWhenUp_StopsEverything()
    {
        await using var up = StartUp();
        await up.WaitForOutputAsync("Stickless lab is up", UpTimeout);
        var seen = LabLeftovers.Records(labDirectory);

        up.Signal(PosixSignals.Interrupt);

        Assert.Equal(0, await up.WaitForExitAsync(StopTimeout));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, seen, TimeSpan.FromSeconds(10));
        Assert.Empty(LabLeftovers.Records(labDirectory));
    }

    [Fact]
    public async Task Up_SigintDuringStartup_StopsWhatWasStarted()
    {
        await using var up = StartUp();

        // Part-way: the nodes run, HAProxy does not yet.
        await up.WaitUntilAsync(() => LabLeftovers.Records(labDirectory).Any(r => r.Name == "node1" && r.IsRunning), "node1 starting", UpTimeout);
        var seen = LabLeftovers.Records(labDirectory);
        up.Signal(PosixSignals.Interrupt);

        Assert.Equal(130, await up.WaitForExitAsync(StopTimeout));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, seen.Concat(LabLeftovers.Records(labDirectory)), TimeSpan.FromSeconds(10));
        Assert.Empty(LabLeftovers.Records(labDirectory));
    }

    [Fact]
    public async Task Up_LabKilled_ChildrenDieAndDownCleansPidFiles()
    {
        await using var up = StartUp();
        await up.WaitUntilAsync(() => LabLeftovers.Records(labDirectory).Count(r => r.Name.StartsWith("node", StringComparison.Ordinal)) == 2,
            "both nodes starting", UpTimeout);
        var seen = LabLeftovers.Records(labDirectory);

        up.Signal(PosixSignals.Kill);
        await up.WaitForExitAsync(StopTimeout);

        // The children die with the lab (parent-death signal, where setpriv exists); whatever a crash leaves, down cleans.
        if (ProcessLauncher.CanTieChildren)
        {
            await LabLeftovers.AssertNothingLeftAsync(labDirectory, seen, TimeSpan.FromSeconds(10));
        }

        var (downExit, downOutput) = await LabCli.RunAsync(StopTimeout, "down", "--lab-dir", labDirectory);
        Assert.True(downExit == 0, downOutput);
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, seen, TimeSpan.FromSeconds(10));
        Assert.Empty(LabLeftovers.Records(labDirectory));
    }

    [Fact]
    public async Task Bench_SigintWhileTheLoadRuns_StopsEverything()
    {
        await using var bench = LabCli.StartIn(labDirectory, "bench", "--strategies", "local", "--nodes", "2", "--users", "4", "--duration", "60",
            "--dashboard-port", "off", "--out", Path.Combine(labDirectory, "results"));

        // Part-way: HAProxy runs, so the deployment is complete and the load is under way or about to be.
        await bench.WaitUntilAsync(() => LabLeftovers.Records(labDirectory).Any(r => r.Name.Contains("haproxy", StringComparison.Ordinal) && r.IsRunning),
            "haproxy running", UpTimeout);
        var seen = LabLeftovers.Records(labDirectory);
        bench.Signal(PosixSignals.Interrupt);

        Assert.Equal(130, await bench.WaitForExitAsync(StopTimeout));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, seen.Concat(LabLeftovers.Records(labDirectory)), TimeSpan.FromSeconds(10));
        Assert.Empty(LabLeftovers.Records(labDirectory));
    }

    [Fact]
    public async Task Up_UnknownStrategy_IsAUsageError()
    {
        var (exit, output) = await LabCli.RunAsync(StopTimeout, "up", "--strategy", "carrier-pigeon", "--lab-dir", labDirectory);

        Assert.Equal(2, exit);
        Assert.Contains("unknown strategy 'carrier-pigeon'", output, StringComparison.Ordinal);
        Assert.Contains("stickless up [--strategy local|sticky|redis", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        // A failed test may leave processes: stop them by their pid files before deleting the folder.
        foreach (var record in LabLeftovers.Records(labDirectory).Where(r => r.IsRunning))
        {
            PosixSignals.TrySend(record.Pid, PosixSignals.Kill);
        }

        try
        {
            Directory.Delete(labDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private LabCli StartUp() =>
        LabCli.Start("up", "--strategy", "local", "--nodes", "2", "--port", "0", "--dashboard-port", "0", "--probe", "off", "--lab-dir", labDirectory);
}
