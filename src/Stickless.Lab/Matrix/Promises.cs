using System.Globalization;
using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;

namespace Stickless.Lab.Matrix;

/// <summary>
/// What the design promises for each fault on each strategy (DESIGN.md, the stores' READMEs, issue 13), judged against a
/// run's figures. Every run, whatever its strategy and fault, must never show a user another user's session.
/// </summary>
internal static class Promises
{
    /// <summary>How long past the store timeout a fail-closed answer may take on the loaded lab machine.</summary>
    public static readonly TimeSpan FailClosedMargin = TimeSpan.FromSeconds(1);

    /// <summary>How long a cut-off Redis master may keep taking writes under <c>min-replicas-to-write 1</c>: <c>min-replicas-max-lag</c> (5 s) and the replicas' 1 s acknowledgement period, plus a margin.</summary>
    public static readonly TimeSpan MinReplicasBound = TimeSpan.FromSeconds(7);

    /// <summary>The verdict for <paramref name="run"/>.</summary>
    public static PromiseVerdict Evaluate(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var lost = Lost(run);
        if (run.WrongUser > 0)
        {
            return new PromiseVerdict("never another user's data", false, $"{Count(run.WrongUser)} answers named another user");
        }

        var strategy = run.Strategy;
        return run.Fault switch
        {
            null => PromiseVerdict.None(lost),
            KillNodeFault.FaultName or RestartNodeFault.FaultName or PauseNodeFault.ShortName or PauseNodeFault.LongName => NodeFault(run, lost),
            KillMasterFault.FaultName when strategy == "redis-ha-wait" => NothingLost(run, "0 acknowledged updates lost (WAIT 1)", lost),
            KillMasterFault.FaultName => PromiseVerdict.None(lost + " (asynchronous replication: the last acknowledged writes may be lost)"),
            PauseMasterFault.FaultName => new PromiseVerdict(
                "a pause shorter than down-after: no failover, nothing lost",
                run.FailoverSeconds is null && run.SessionsLost == 0 && run.LostUpdates == 0,
                lost + (run.FailoverSeconds is { } f ? string.Create(CultureInfo.InvariantCulture, $", failed over after {f:0.##} s") : ", no failover")),
            KillLaggingMasterFault.FaultName when strategy == "redis-ha-wait" => NothingLost(run, "0 acknowledged updates lost (WAIT 1)", lost),
            KillLaggingMasterFault.FaultName => PromiseVerdict.None(lost + " (without WAIT the held writes were acknowledged: the loss WAIT prevents)"),
            "partition-master" => PartitionMaster(run, lost),
            StoreLinkFault.SlowStoreName when run.FaultSettingsLatency() < StoreTimeout(strategy) => new PromiseVerdict(
                "below the store timeout: nothing fails, nothing is lost",
                (run.ErrorsDuringFault ?? run.Errors) == 0 && run.SessionsLost == 0 && run.LostUpdates == 0,
                string.Create(CultureInfo.InvariantCulture, $"{Count(run.ErrorsDuringFault ?? run.Errors)} errors while it held; {lost}")),
            StoreLinkFault.SlowStoreName or StoreLinkFault.BlackholeStoreName => FailClosed(run, lost),
            RestartStoreFault.FaultName => RestartStore(run, lost),
            KillStoreNodeFault.FaultName or RestartStoreNodeFault.FaultName => StoreNodeLost(run, lost),
            PauseStoreNodeFault.FaultName when strategy == "memcached-backup" => NothingLost(run, "0 sessions and 0 acknowledged updates lost (the backup serves)", lost),
            PartitionPeersFault.FaultName or PartitionPeersFault.OldName => PartitionPeers(run, lost),
            _ => PromiseVerdict.None(lost),
        };
    }

    /// <summary>The store timeout a strategy's nodes use: 1 s per memcached operation, 1 s per peer call, 2 s for Redis (the lab's defaults).</summary>
    public static TimeSpan StoreTimeout(string strategy) =>
        strategy.StartsWith("memcached", StringComparison.Ordinal) || IsReplication(strategy) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2);

    private static bool IsReplication(string strategy) => strategy.StartsWith("all-to-all", StringComparison.Ordinal) || strategy.StartsWith("primary-backup", StringComparison.Ordinal);

    private static PromiseVerdict NodeFault(RunResult run, string lost)
    {
        var instant = run.Fault is KillNodeFault.FaultName or RestartNodeFault.FaultName;
        return run.Strategy switch
        {
            "local" => PromiseVerdict.None(lost),
            "sticky" when instant => new PromiseVerdict(
                "loses only the dead node's users",
                run.UsersLosingSessions <= (run.UsersOnFaultTarget ?? 0) + 1 && run.LostUpdates == 0,
                string.Create(CultureInfo.InvariantCulture, $"{run.UsersLosingSessions} users lost their session, {run.UsersOnFaultTarget ?? 0} were on the node; {Count(run.LostUpdates)} updates lost")),
            "primary-backup-async" when instant => PromiseVerdict.None(lost + " (asynchronous copies: the dead owner's queued copies may be lost)"),
            _ => NothingLost(run, IsReplication(run.Strategy) ? "0 lost (sync copies)" : "0 sessions and 0 acknowledged updates lost", lost),
        };
    }

    private static PromiseVerdict PartitionMaster(RunResult run, string lost)
    {
        // The probe is the exact measure here: it counts what the cut-off side acknowledged and reads the counter back
        // through the majority after the heal. The workload's own counts beside it include reads of the cut-off master's
        // stale data through the node on its side (for as long as that node follows it), which its shadow model can take
        // for lost updates (an item missing on three reads in a row).
        var probe = run.SplitBrain is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"probe through {string.Join(", ", b.MinorityNodes)}: {b.WritesAcknowledged} of {b.WritesTried} writes acknowledged, the last {b.LastAcknowledgedAfterSeconds:0.0} s after the cut, {b.AcknowledgedWritesLost} lost at the heal; workload: {lost}")
            : "no probe; workload: " + lost;
        return run.Strategy switch
        {
            "redis-ha-wait" => new PromiseVerdict("0 acknowledged updates lost (WAIT 1)", run.SplitBrain is { AcknowledgedWritesLost: 0 } && run.SessionsLost == 0, probe),
            "redis-ha" => new PromiseVerdict(
                string.Create(CultureInfo.InvariantCulture, $"min-replicas-to-write 1: the cut-off master stops taking writes within {MinReplicasBound.TotalSeconds:0} s"),
                run.SplitBrain is { } c && c.LastAcknowledgedAfterSeconds <= MinReplicasBound.TotalSeconds,
                probe),
            _ => PromiseVerdict.None(probe + " (no min-replicas-to-write: the cut-off master takes writes for the whole partition)"),
        };
    }

    private static PromiseVerdict FailClosed(RunResult run, string lost)
    {
        var bound = StoreTimeout(run.Strategy) + FailClosedMargin;
        var slowest = run.LongestNodeFailureMs ?? 0;
        return new PromiseVerdict(
            string.Create(CultureInfo.InvariantCulture, $"fail-closed within the store timeout (≤ {bound.TotalSeconds:0.#} s), nothing lost"),
            slowest <= bound.TotalMilliseconds && run.SessionsLost == 0 && run.LostUpdates == 0,
            string.Create(CultureInfo.InvariantCulture, $"slowest 503 {slowest:#,0} ms; {lost}"));
    }

    private static PromiseVerdict RestartStore(RunResult run, string lost)
    {
        var kept = string.Create(CultureInfo.InvariantCulture, $"; store held {run.StoredSessionsBeforeFault?.ToString(CultureInfo.InvariantCulture) ?? "?"} → {run.StoredSessionsAfterFault?.ToString(CultureInfo.InvariantCulture) ?? "?"} sessions");
        return run.Persistence switch
        {
            "aof-everysec" or "aof-always" => NothingLost(run, "nothing lost (AOF survives a process crash)", lost + kept),
            "rdb" => PromiseVerdict.None(lost + kept + string.Create(CultureInfo.InvariantCulture, $"; {run.ChangesSinceLastSave ?? 0:#,0} changes were not in a snapshot (RDB loses them)")),
            _ => new PromiseVerdict("the store keeps nothing on disk: every session is lost", run.StoredSessionsAfterFault == 0, lost + kept),
        };
    }

    private static PromiseVerdict StoreNodeLost(RunResult run, string lost)
    {
        if (run.Strategy == "memcached-backup")
        {
            return NothingLost(run, "0 sessions lost (the backup serves)", lost);
        }

        if (run.Strategy != "memcached")
        {
            return PromiseVerdict.None(lost);
        }

        // About 1/N of the sessions live on the dead server (N = 3): allow half as much again for the ring's unevenness.
        var share = run.SignedInUsersAtFault is > 0 and var users ? (double)run.UsersLosingSessions / users : 0;
        return new PromiseVerdict(
            "about 1/3 of the sessions lost (no backup, 3 servers)",
            share <= 0.5,
            string.Create(CultureInfo.InvariantCulture, $"{run.UsersLosingSessions} of {run.SignedInUsersAtFault ?? 0} users lost their session ({share:P0}); {Count(run.LostUpdates)} updates lost"));
    }

    private static PromiseVerdict PartitionPeers(RunResult run, string lost)
    {
        var heal = run.PartitionHeal;
        var healText = heal is null
            ? "no probe"
            : string.Create(CultureInfo.InvariantCulture, $"{heal.Resurrected} of {heal.DeletedOnOneSide} deleted sessions came back, {heal.Diverged} diverged; {heal.WrittenOnBothSides} written on both sides, {run.ReplicationConflicts ?? 0} conflicts and {run.ReplicationDeletesWon ?? 0} deletes won counted");
        var healed = heal is not null && heal.Resurrected == 0 && heal.Diverged == 0;
        if (run.Strategy == "primary-backup-quorum")
        {
            return new PromiseVerdict("the minority refuses: nothing lost, nothing resurrected", healed && run.SessionsLost == 0 && run.LostUpdates == 0, $"{lost}; {healText}");
        }

        return new PromiseVerdict(
            "delete wins, conflicts counted, nothing resurrected (the losing side's writes are lost)",
            healed && (heal!.WrittenOnBothSides == 0 || run.ReplicationConflicts > 0),
            $"{lost}; {healText}");
    }

    private static PromiseVerdict NothingLost(RunResult run, string promise, string lost) =>
        new(promise, run.SessionsLost == 0 && run.LostUpdates == 0, lost);

    private static string Lost(RunResult run) =>
        string.Create(CultureInfo.InvariantCulture, $"{Count(run.SessionsLost)} sessions ({run.UsersLosingSessions} users) and {Count(run.LostUpdates)} updates lost, {Count(run.StaleReads)} stale reads");

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>The latency a slow-store run was given (its label keeps it), or the fault's default.</summary>
    private static TimeSpan FaultSettingsLatency(this RunResult run) =>
        run.FaultLatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : StoreLinkFault.DefaultLatency;
}
