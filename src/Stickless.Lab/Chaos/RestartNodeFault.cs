using System.Diagnostics;
using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>restart-node</c>: SIGKILL the node serving the most signed-in users, start it again at once (same port, same
/// configuration, empty memory), and time until its <c>/healthz</c> answers 200 again. A replicated node is not ready
/// until its state transfer is done, so HAProxy sends it nothing before; it must never answer "no such session" for
/// sessions the others hold.
/// </summary>
internal sealed class RestartNodeFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "restart-node";

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGKILL the app node serving the most signed-in users and start it again at once, empty.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var node = KillNodeFault.Busiest(context);
        var users = context.SignedInUsersByNode.GetValueOrDefault(node.Name);
        var pid = node.Pid;
        var started = Stopwatch.GetTimestamp();
        await node.RestartAsync(ct).ConfigureAwait(false);
        var ready = Stopwatch.GetElapsedTime(started);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"SIGKILL {node.Name} (pid {pid}), serving {users} signed-in users, and started it again (pid {node.Pid}); /healthz answered 200 after {ready.TotalSeconds:0.00} s");
        context.Log.Info(detail);
        return new FaultOutcome(node.Name, detail, users) { FailoverSeconds = Math.Round(ready.TotalSeconds, 2) };
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Nodes.FirstOrDefault(n => string.Equals(n.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
