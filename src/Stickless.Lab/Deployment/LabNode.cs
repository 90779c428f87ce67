using Stickless.Lab.Processes;

namespace Stickless.Lab.Deployment;

/// <summary>One Festa node of a deployment: a real process on a loopback port.</summary>
internal sealed class LabNode
{
    private readonly Func<LabNode, CancellationToken, Task> waitHealthy;

    internal LabNode(LabNodePlan plan, SupervisedProcess process, Func<LabNode, CancellationToken, Task> waitHealthy)
    {
        Plan = plan;
        Process = process;
        this.waitHealthy = waitHealthy;
    }

    /// <summary>The node name, which Festa answers in <c>X-Served-By</c>.</summary>
    public string Name => Plan.Name;

    /// <summary>The node's own address (not through HAProxy).</summary>
    public Uri Url => Plan.Url;

    /// <summary>The node's port.</summary>
    public int Port => Plan.Port;

    /// <summary>The pid of its current (or last) process.</summary>
    public int Pid => Process.Pid;

    /// <summary>True while its process runs.</summary>
    public bool IsAlive => Process.IsAlive;

    internal LabNodePlan Plan { get; }

    internal SupervisedProcess Process { get; }

    /// <summary>Kills the node with SIGKILL (no goodbye: in-memory sessions die with it) and waits until it has exited.</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <summary>Starts the node again on the same port with the same configuration (killing it first if it runs) and waits until /healthz answers.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (Process.IsAlive)
        {
            await Process.KillAsync().ConfigureAwait(false);
        }

        await Process.StartAsync(cancellationToken).ConfigureAwait(false);
        await waitHealthy(this, cancellationToken).ConfigureAwait(false);
    }
}
