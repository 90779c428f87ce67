using Stickless.Lab.Deployment;

namespace Stickless.Lab.Chaos;

/// <summary>What a fault may look at when it strikes.</summary>
/// <param name="Deployment">The running deployment: nodes and services, with their pids.</param>
/// <param name="SignedInUsersByNode">Signed-in virtual users per node that last served them as signed in.</param>
/// <param name="Log">Where the fault says what it did.</param>
internal sealed record FaultContext(LabDeployment Deployment, IReadOnlyDictionary<string, int> SignedInUsersByNode, ILabLog Log)
{
    /// <summary>
    /// Called by a fault at the very moment it strikes (just before the signal), when it first has to look around
    /// (ask the sentinels for the master): recovery is timed from then. Faults that strike at once need not call it.
    /// </summary>
    public Action Striking { get; init; } = static () => { };
}
