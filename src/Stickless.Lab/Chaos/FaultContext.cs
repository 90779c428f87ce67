using Stickless.Lab.Deployment;

namespace Stickless.Lab.Chaos;

/// <summary>What a fault may look at when it strikes.</summary>
/// <param name="Deployment">The running deployment: nodes and services, with their pids.</param>
/// <param name="SignedInUsersByNode">Signed-in virtual users per node that last served them as signed in.</param>
/// <param name="Log">Where the fault says what it did.</param>
internal sealed record FaultContext(LabDeployment Deployment, IReadOnlyDictionary<string, int> SignedInUsersByNode, ILabLog Log);
