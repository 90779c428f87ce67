namespace Stickless.Lab.Chaos;

/// <summary>
/// <c>kill-node</c>: SIGKILL one Festa node, no goodbye. It picks the node that was serving the most
/// signed-in virtual users (for sticky, the node their affinity cookie names), else the first node.
/// The node stays dead for the rest of the run: what its users lose is the measurement.
/// </summary>
internal sealed class KillNodeFault : IFault
{
    /// <summary>The fault's name.</summary>
    public const string FaultName = "kill-node";

    /// <inheritdoc />
    public string Name => FaultName;

    /// <inheritdoc />
    public string Description => "SIGKILL the app node serving the most signed-in users; it stays down.";

    /// <inheritdoc />
    public async Task<FaultOutcome> ApplyAsync(FaultContext context, CancellationToken ct)
    {
        var nodes = context.Deployment.Nodes;
        if (nodes.Count == 0)
        {
            throw new InvalidOperationException("the deployment has no node to kill");
        }

        var busiest = context.SignedInUsersByNode
            .Where(p => nodes.Any(n => string.Equals(n.Name, p.Key, StringComparison.Ordinal) && n.IsAlive))
            .OrderByDescending(static p => p.Value)
            .ThenBy(static p => p.Key, StringComparer.Ordinal)
            .Select(static p => p.Key)
            .FirstOrDefault();
        var node = nodes.FirstOrDefault(n => string.Equals(n.Name, busiest, StringComparison.Ordinal)) ?? nodes[0];
        var users = context.SignedInUsersByNode.GetValueOrDefault(node.Name);
        var signedIn = context.SignedInUsersByNode.Values.Sum();
        var pid = node.Pid;

        ct.ThrowIfCancellationRequested();
        await node.KillAsync().ConfigureAwait(false);

        var detail = $"SIGKILL {node.Name} (pid {pid}), which was serving {users} of {signedIn} signed-in users";
        context.Log.Info(detail);
        return new FaultOutcome(node.Name, detail, users);
    }

    /// <summary>The live node that last served the most signed-in users (node 1 when nobody is signed in).</summary>
    internal static Deployment.LabNode Busiest(FaultContext context)
    {
        var nodes = context.Deployment.Nodes;
        var busiest = context.SignedInUsersByNode
            .Where(p => nodes.Any(n => string.Equals(n.Name, p.Key, StringComparison.Ordinal) && n.IsAlive))
            .OrderByDescending(static p => p.Value)
            .ThenBy(static p => p.Key, StringComparer.Ordinal)
            .Select(static p => p.Key)
            .FirstOrDefault();
        return nodes.FirstOrDefault(n => string.Equals(n.Name, busiest, StringComparison.Ordinal)) ?? nodes[0];
    }

    /// <inheritdoc />
    public bool? IsTargetAlive(FaultContext context, FaultOutcome outcome) =>
        context.Deployment.Nodes.FirstOrDefault(n => string.Equals(n.Name, outcome.Target, StringComparison.Ordinal))?.IsAlive;
}
