using Stickless.Conformance;
using Stickless.Redis.Tests.Store;

namespace Stickless.Redis.Tests.Conformance;

/// <summary>DESIGN.md's rules on one redis-server.</summary>
public sealed class RedisStandaloneConformanceTests(RedisStoreServer server) : SessionStoreConformanceTests, IClassFixture<RedisStoreServer>
{
    protected override Task<IConformanceStore> CreateStoreAsync() =>
        RedisConformanceStore.CreateAsync(server.Configuration, new RedisRoundTripCounter(() => Task.FromResult<IReadOnlyList<Infrastructure.RedisServer>>([server.Server])));
}

/// <summary>The commutative attribute operations on one redis-server (implemented in commit.lua).</summary>
public sealed class RedisStandaloneAttributeOperationsConformanceTests(RedisStoreServer server) : AttributeOperationsConformanceTests, IClassFixture<RedisStoreServer>
{
    protected override Task<IConformanceStore> CreateStoreAsync() =>
        RedisConformanceStore.CreateAsync(server.Configuration, new RedisRoundTripCounter(() => Task.FromResult<IReadOnlyList<Infrastructure.RedisServer>>([server.Server])));
}

/// <summary>Rule 6 on one redis-server: the server frozen (SIGSTOP), every call fails within the operation timeout.</summary>
public sealed class RedisStandaloneOutageConformanceTests(RedisStoreServer server) : StoreOutageConformanceTests, IClassFixture<RedisStoreServer>
{
    protected override IStoreOutage Outage => RedisOutage.Of([server.Server], new RedisSessionStoreOptions().OperationTimeout);

    protected override Task<IConformanceStore> CreateStoreAsync() =>
        RedisConformanceStore.CreateAsync(server.Configuration, new RedisRoundTripCounter(() => Task.FromResult<IReadOnlyList<Infrastructure.RedisServer>>([server.Server])), RedisConformanceStore.OutageUnit);
}
