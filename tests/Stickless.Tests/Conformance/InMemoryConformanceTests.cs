using Stickless.Conformance;

namespace Stickless.Tests.Conformance;

/// <summary>DESIGN.md's rules, run against the in-memory store.</summary>
public sealed class InMemoryConformanceTests : SessionStoreConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(new InMemoryConformanceStore());
}

/// <summary>The commutative attribute operations, run against the in-memory store.</summary>
public sealed class InMemoryAttributeOperationsConformanceTests : AttributeOperationsConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => Task.FromResult<IConformanceStore>(new InMemoryConformanceStore());
}
