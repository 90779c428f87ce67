namespace Stickless.Redis.Tests.Infrastructure;

/// <summary>
/// Tests that kill, pause or demote a master and assert how long the switch took, or that depend on short
/// Sentinel timeouts (500 ms per sentinel). They run alone, after the parallel tests, so that a loaded
/// 2-core machine does not stretch the times they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    public const string Name = "Failover timing";
}
