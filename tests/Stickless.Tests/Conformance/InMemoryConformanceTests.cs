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

/// <summary>DESIGN.md's rules with the near cache on: two caches (two nodes) over the in-memory store.</summary>
public sealed class InMemoryNearCacheConformanceTests : SessionStoreConformanceTests
{
    protected override async Task<IConformanceStore> CreateStoreAsync()
    {
        var inner = new InMemoryConformanceStore();
        return await NearCacheConformanceStore.CreateAsync(inner, inner.Time);
    }
}

/// <summary>The commutative attribute operations with the near cache on, over the in-memory store.</summary>
public sealed class InMemoryNearCacheAttributeOperationsConformanceTests : AttributeOperationsConformanceTests
{
    protected override async Task<IConformanceStore> CreateStoreAsync()
    {
        var inner = new InMemoryConformanceStore();
        return await NearCacheConformanceStore.CreateAsync(inner, inner.Time);
    }
}
