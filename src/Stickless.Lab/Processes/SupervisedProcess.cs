using System.Diagnostics;

namespace Stickless.Lab.Processes;

/// <summary>
/// One process the lab started: its pid is in a pid file while it runs, its output goes to a log file,
/// and it can be stopped, killed, paused, resumed and started again with the same command.
/// </summary>
internal sealed class SupervisedProcess : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly string pidFilePath;
    private readonly SemaphoreSlim gate = new(1, 1);
    private Process? process;
    private long startTime;

    internal SupervisedProcess(ProcessSpec spec, string pidFilePath)
    {
        Spec = spec;
        this.pidFilePath = pidFilePath;
    }

    /// <summary>How this process is started.</summary>
    public ProcessSpec Spec { get; }

    /// <summary>The pid of the current (or last) incarnation; 0 before the first start.</summary>
    public int Pid { get; private set; }

    /// <summary>True while the current incarnation runs (a paused process runs).</summary>
    public bool IsAlive => Pid > 0 && ProcFs.IsSameProcess(Pid, startTime);

    /// <summary>The pid file that names this process while it runs.</summary>
    public string PidFilePath => pidFilePath;

    /// <summary>Starts the process (again, if it ran before and has exited).</summary>
    /// <exception cref="InvalidOperationException">It is running already.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsAlive)
            {
                throw new InvalidOperationException($"{Spec.Name} is running already (pid {Pid}).");
            }

            process?.Dispose();
            Directory.CreateDirectory(Path.GetDirectoryName(Spec.LogPath)!);
            var started = await ProcessLauncher.Shared.StartAsync(BuildStartInfo(Spec)).ConfigureAwait(false);
            process = started;
            Pid = started.Id;
            startTime = ProcFs.StartTime(Pid) ?? 0;
            PidFile.Write(pidFilePath, PidFileRecord.OwnedByThisProcess(Spec.Name, Pid, startTime, Spec.CommandLine));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Kills the process with SIGKILL and waits until it has exited.</summary>
    public Task KillAsync() => EndAsync(PosixSignals.Kill, TimeSpan.Zero);

    /// <summary>Stops the process: SIGTERM, then SIGKILL after <paramref name="grace"/>; waits until it has exited.</summary>
    public Task StopAsync(TimeSpan grace) => EndAsync(PosixSignals.Terminate, grace);

    /// <summary>Pauses the process (SIGSTOP): it keeps its sockets but answers nothing.</summary>
    public bool Pause() => IsAlive && PosixSignals.TrySend(Pid, PosixSignals.Stop);

    /// <summary>Resumes a paused process (SIGCONT).</summary>
    public bool Resume() => IsAlive && PosixSignals.TrySend(Pid, PosixSignals.Continue);

    /// <summary>Waits until the process exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) =>
        process?.WaitForExitAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Releases the process handle (the process itself is stopped by <see cref="StopAsync"/>, not here).</summary>
    public void Dispose()
    {
        process?.Dispose();
        gate.Dispose();
    }

    /// <summary>The last lines of the process's log, for error messages.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            var all = File.ReadAllLines(Spec.LogPath);
            return string.Join(Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private async Task EndAsync(int signal, TimeSpan grace)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = process;
            if (current is null)
            {
                return;
            }

            if (IsAlive)
            {
                // A paused process would take SIGTERM only when resumed.
                PosixSignals.TrySend(Pid, PosixSignals.Continue);
                PosixSignals.TrySend(Pid, signal);
                if (!await WaitAsync(current, grace).ConfigureAwait(false))
                {
                    PosixSignals.TrySend(Pid, PosixSignals.Kill);
                    if (!await WaitAsync(current, ExitTimeout).ConfigureAwait(false))
                    {
                        throw new TimeoutException($"{Spec.Name} (pid {Pid}) did not exit {ExitTimeout.TotalSeconds:0} s after SIGKILL.");
                    }
                }
            }

            PidFile.Delete(pidFilePath);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<bool> WaitAsync(Process process, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            timeout = ExitTimeout;
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }

    private static ProcessStartInfo BuildStartInfo(ProcessSpec spec)
    {
        // sh redirects the output straight to the log file (nothing flows through the lab, so a dead lab
        // breaks no pipe) and execs, so the pid we record is the pid of the real program.
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(ProcessLauncher.CanTieChildren
            ? "log=$1; shift; exec setpriv --pdeathsig KILL -- \"$@\" </dev/null >>\"$log\" 2>&1"
            : "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1");
        startInfo.ArgumentList.Add("stickless-child");
        startInfo.ArgumentList.Add(spec.LogPath);
        startInfo.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }
}
