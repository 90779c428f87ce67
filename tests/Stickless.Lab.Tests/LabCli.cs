using System.Collections.Concurrent;
using System.Diagnostics;
using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Tests;

/// <summary>The real <c>stickless</c> command (the built lab dll) run as a child process, with its output kept.</summary>
internal sealed class LabCli : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> waiters = [];
    private readonly Lock sync = new();

    private LabCli(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public string Output => string.Join(Environment.NewLine, lines);

    /// <summary>Starts <c>dotnet stickless.dll &lt;args&gt;</c>.</summary>
    public static LabCli Start(params string[] args) => StartIn(labDirectory: null, args);

    /// <summary>Starts <c>dotnet stickless.dll &lt;args&gt;</c> with <c>STICKLESS_LAB_DIR</c> set, for commands without <c>--lab-dir</c>.</summary>
    public static LabCli StartIn(string? labDirectory, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "stickless.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment[LabPaths.RepositoryVariable] = LabPaths.Resolve().RepositoryRoot;
        if (labDirectory is not null)
        {
            startInfo.Environment[LabPaths.LabDirectoryVariable] = labDirectory;
        }

        return new LabCli(Process.Start(startInfo)!);
    }

    /// <summary>Runs a command to its end.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var cli = Start(args);
        var exit = await cli.WaitForExitAsync(timeout);
        return (exit, cli.Output);
    }

    /// <summary>Waits until a line containing <paramref name="text"/> appears; fails if the process exits first or at the deadline.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (sync)
        {
            if (lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            waiters.Add((text, seen));
        }

        using var deadline = new CancellationTokenSource(timeout);
        var exited = process.WaitForExitAsync(deadline.Token);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(Timeout.Infinite, deadline.Token));
        if (first != seen.Task)
        {
            throw new TimeoutException($"'{text}' did not appear ({(process.HasExited ? "the lab exited" : "deadline")}). Output:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Waits until a condition on the lab holds (checked every 50 ms); fails at the deadline.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException($"{what} did not happen ({(process.HasExited ? "the lab exited" : "deadline")}). Output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50);
        }
    }

    public void Signal(int signal) => PosixSignals.TrySend(process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the lab did not exit within {timeout}. Output:{Environment.NewLine}{Output}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        lock (sync)
        {
            foreach (var waiter in waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }
}
