using Stickless.Lab.Processes;

namespace Stickless.Lab.Deployment;

/// <summary>A server a strategy needs beside the nodes (a redis-server, later sentinels or memcached): a real process on a loopback port.</summary>
internal sealed class LabService
{
    private readonly Func<SupervisedProcess, CancellationToken, Task> waitReady;

    internal LabService(string name, int port, SupervisedProcess process, Func<SupervisedProcess, CancellationToken, Task> waitReady)
    {
        Name = name;
        Port = port;
        Process = process;
        this.waitReady = waitReady;
    }

    /// <summary>The role, for example <c>redis</c>.</summary>
    public string Name { get; }

    /// <summary>Its loopback port.</summary>
    public int Port { get; }

    /// <summary>
    /// The port the others know it by when a <see cref="Network.RoutedFront"/> stands in front of it (what a Redis server
    /// announces and the sentinels hand out); null when that is <see cref="Port"/> itself.
    /// </summary>
    public int? AnnouncedPort { get; init; }

    /// <summary>True when <paramref name="port"/> is this service's own port or the one it is known by.</summary>
    public bool Answers(int port) => port == Port || port == AnnouncedPort;

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The pid of its current (or last) process.</summary>
    public int Pid => Process.Pid;

    /// <summary>True while its process runs (paused included).</summary>
    public bool IsAlive => Process.IsAlive;

    internal SupervisedProcess Process { get; }

    /// <summary>Kills it with SIGKILL and waits until it has exited.</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <summary>Pauses it (SIGSTOP): connections stay open, nothing answers.</summary>
    public Task PauseAsync() => Process.Pause() ? Task.CompletedTask : throw new InvalidOperationException($"{Name} is not running.");

    /// <summary>Resumes it after <see cref="PauseAsync"/> (SIGCONT).</summary>
    public Task ResumeAsync() => Process.Resume() ? Task.CompletedTask : throw new InvalidOperationException($"{Name} is not running.");

    /// <summary>Starts it again with the same configuration (killing it first if it runs) and waits until it is ready.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (Process.IsAlive)
        {
            await Process.KillAsync().ConfigureAwait(false);
        }

        await Process.StartAsync(cancellationToken).ConfigureAwait(false);
        await waitReady(Process, cancellationToken).ConfigureAwait(false);
    }

    internal Task WaitReadyAsync(CancellationToken cancellationToken) => waitReady(Process, cancellationToken);
}
