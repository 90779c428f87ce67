namespace Stickless.Redis.Tests.Sentinel;

/// <summary>
/// The Sentinel test classes that cause no failover share one deployment and run one after the other
/// (they pause the replica, which the other classes must not see).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SentinelSteadyCollection : ICollectionFixture<SentinelDeployment>
{
    public const string Name = "Sentinel, steady";
}
