using System.Globalization;

namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>pause-node</c> (1 s, shorter than the replication store's 3 s failure detection) and <c>pause-node-long</c> (5 s,
/// longer): SIGSTOP the node serving the most signed-in users, then SIGCONT. A short pause should cost only the
/// requests it held; a long one makes the others declare the node dead and take over its sessions, and the node,
/// finding its own heartbeat late, must rejoin before serving again (never answer from its stale copy).
/// </summary>
internal sealed class PauseNodeFault(string name, TimeSpan pause) : IFault
{
    /// <summary>The short pause's name.</summary>
    public const string ShortName = "pause-node";

    /// <summary>The long pause's name.</summary>
    public const string LongName = "pause-node-long";

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public string Description => string.Create(CultureInfo.InvariantCulture, $"SIGSTOP the app node serving the most signed-in users for {pause.TotalSeconds:0.#} s, then SIGCONT.");

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var node = KillNodeFault.Busiest(context);
        var users = context.SignedInUsersByNode.GetValueOrDefault(node.Name);
        if (!node.Process.Pause())
        {
            throw new InvalidOperationException($"{node.Name} is not running");
        }

        try
        {
            await Task.Delay(pause, ct).ConfigureAwait(false);
        }
        finally
        {
            // Resumed whatever happens: a stopped node must never outlive the run.
            node.Process.Resume();
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"SIGSTOP {node.Name} (pid {node.Pid}), serving {users} signed-in users, for {pause.TotalSeconds:0.#} s, then SIGCONT");
        context.Log.Info(detail);
        return new FaultOutcome(node.Name, detail, users);
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Nodes.FirstOrDefault(n => string.Equals(n.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
