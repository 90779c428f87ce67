using Stickless.Conformance;

namespace Stickless.Replication.Tests.Conformance;

/// <summary>DESIGN.md's rules against two PrimaryBackup peers (the integration runs real Kestrel servers in this process).</summary>
public sealed class PrimaryBackupConformanceIntegrationTests : SessionStoreConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => ReplicationConformanceStore.StartAsync(ReplicationMode.PrimaryBackup);
}

/// <summary>DESIGN.md's rules against two AllToAll peers.</summary>
public sealed class AllToAllConformanceIntegrationTests : SessionStoreConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => ReplicationConformanceStore.StartAsync(ReplicationMode.AllToAll);
}

/// <summary>The commutative attribute operations against two PrimaryBackup peers.</summary>
public sealed class PrimaryBackupAttributeOperationsIntegrationTests : AttributeOperationsConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => ReplicationConformanceStore.StartAsync(ReplicationMode.PrimaryBackup);
}

/// <summary>The commutative attribute operations against two AllToAll peers.</summary>
public sealed class AllToAllAttributeOperationsIntegrationTests : AttributeOperationsConformanceTests
{
    protected override Task<IConformanceStore> CreateStoreAsync() => ReplicationConformanceStore.StartAsync(ReplicationMode.AllToAll);
}
