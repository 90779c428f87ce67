namespace Stickless.Lab.Deployment;

/// <summary>A Redis master of a deployment at one moment.</summary>
/// <param name="Service">Its process.</param>
/// <param name="Slot">For a cluster, one hash slot it owned then (its successor will own it); 0 otherwise.</param>
internal sealed record RedisMaster(LabService Service, int Slot = 0);
