using System.Collections.Concurrent;
using System.Diagnostics;

namespace Stickless.Lab.Processes;

/// <summary>
/// Starts every child process of the lab from one dedicated thread that lives as long as the lab.
/// </summary>
/// <remarks>
/// Children run under <c>setpriv --pdeathsig KILL</c>, so the kernel kills them when the lab dies, even
/// by SIGKILL. Linux sends the parent-death signal when the <em>thread</em> that forked the child exits,
/// not the process: a child forked from a thread-pool thread would be killed when that thread retires.
/// Forking from one thread that never exits ties the children to the lab process itself.
/// </remarks>
internal sealed class ProcessLauncher
{
    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> queue = [];

    private ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "stickless process launcher" };
        thread.Start();
    }

    /// <summary>The one launcher of this process.</summary>
    public static ProcessLauncher Shared { get; } = new();

    /// <summary>True when <c>setpriv</c> can tie children to the lab's life.</summary>
    public static bool CanTieChildren { get; } = File.Exists("/usr/bin/setpriv");

    /// <summary>Starts a process from the launcher thread.</summary>
    public Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add((startInfo, started));
        return started.Task;
    }

    private void Run()
    {
        foreach (var (startInfo, started) in queue.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start."));
            }
            catch (Exception exception)
            {
                started.SetException(exception);
            }
        }
    }
}
