using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Matrix;

/// <summary>
/// The whole fault × strategy table <c>stickless chaos --matrix</c> runs: each strategy with the faults it has and that
/// the design makes a promise about (or whose loss it documents), in the order they run.
/// </summary>
internal static class MatrixPlan
{
    /// <summary>Every cell, in order.</summary>
    public static IReadOnlyList<MatrixCell> All { get; } =
    [
        MatrixCell.Of("sticky", KillNodeFault.FaultName),

        MatrixCell.Of("redis", KillNodeFault.FaultName),
        MatrixCell.SlowStore("redis", TimeSpan.FromMilliseconds(500)),
        MatrixCell.SlowStore("redis", TimeSpan.FromSeconds(3)),
        MatrixCell.Of("redis", StoreLinkFault.BlackholeStoreName),
        .. RedisPersistence.All.Select(static p => MatrixCell.RestartStore("redis", p)),

        MatrixCell.Of("redis-ha", KillNodeFault.FaultName),
        MatrixCell.Of("redis-ha", KillMasterFault.FaultName),
        MatrixCell.Of("redis-ha", PauseMasterFault.FaultName),
        MatrixCell.Of("redis-ha", KillLaggingMasterFault.FaultName),
        MatrixCell.Of("redis-ha", PartitionMasterFault.FaultName),
        MatrixCell.Of("redis-ha-wait", KillMasterFault.FaultName),
        MatrixCell.Of("redis-ha-wait", KillLaggingMasterFault.FaultName),
        MatrixCell.Of("redis-ha-wait", PartitionMasterFault.FaultName),
        MatrixCell.Of("redis-ha-no-min-replicas", PartitionMasterFault.FaultName),
        MatrixCell.Of("redis-cluster", KillNodeFault.FaultName),
        MatrixCell.Of("redis-cluster", KillMasterFault.FaultName),

        .. StoreNodeCells("memcached"),
        MatrixCell.Of("memcached", StoreLinkFault.BlackholeStoreName),
        MatrixCell.Of("memcached", RestartStoreFault.FaultName),
        .. StoreNodeCells("memcached-backup"),
        MatrixCell.SlowStore("memcached-backup", TimeSpan.FromMilliseconds(300)),
        MatrixCell.Of("memcached-backup", StoreLinkFault.BlackholeStoreName),
        MatrixCell.Of("memcached-backup", RestartStoreFault.FaultName),

        .. NodeCells("all-to-all"),
        .. NodeCells("primary-backup"),
        MatrixCell.Of("primary-backup-async", KillNodeFault.FaultName),
        MatrixCell.Of("all-to-all-proxied", PartitionPeersFault.FaultName),
        MatrixCell.Of("primary-backup-proxied", PartitionPeersFault.FaultName),
        MatrixCell.Of("primary-backup-quorum", PartitionPeersFault.FaultName),
    ];

    /// <summary>The cells whose strategy and fault are in the filters (empty filter: all).</summary>
    public static IReadOnlyList<MatrixCell> Select(IReadOnlyCollection<string> strategies, IReadOnlyCollection<string> faults) =>
        [.. All.Where(c => (strategies.Count == 0 || strategies.Contains(c.Strategy)) && (faults.Count == 0 || faults.Contains(c.Fault)))];

    private static IEnumerable<MatrixCell> StoreNodeCells(string strategy) =>
    [
        MatrixCell.Of(strategy, KillNodeFault.FaultName),
        MatrixCell.Of(strategy, KillStoreNodeFault.FaultName),
        MatrixCell.Of(strategy, RestartStoreNodeFault.FaultName),
        MatrixCell.Of(strategy, PauseStoreNodeFault.FaultName),
    ];

    private static IEnumerable<MatrixCell> NodeCells(string strategy) =>
    [
        MatrixCell.Of(strategy, KillNodeFault.FaultName),
        MatrixCell.Of(strategy, RestartNodeFault.FaultName),
        MatrixCell.Of(strategy, PauseNodeFault.ShortName),
        MatrixCell.Of(strategy, PauseNodeFault.LongName),
    ];
}
