namespace EndToEnd.Tests.Infrastructure;

/// <summary>The tests that share one <see cref="FestaCluster"/> (they run one class at a time).</summary>
[CollectionDefinition(Name)]
public sealed class FestaCollection : ICollectionFixture<FestaCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Festa cluster";
}
