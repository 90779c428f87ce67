using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>Turns a workload's measurements into the <c>results.json</c> entry.</summary>
internal static class RunResultFactory
{
    /// <summary>The entry for <paramref name="plan"/>.</summary>
    /// <param name="plan">What was run.</param>
    /// <param name="measured">What the users saw.</param>
    /// <param name="startedAt">When the measured part started.</param>
    /// <param name="fault">The fault that struck, if any.</param>
    /// <param name="window">The requests made while a lasting fault held (<see cref="Chaos.FaultOutcome.HeldSeconds"/>); null otherwise.</param>
    public static RunResult Create(RunPlan plan, WorkloadResult measured, DateTimeOffset startedAt, FaultReport? fault, FaultWindowStats? window = null)
    {
        var seconds = measured.Totals.Elapsed.TotalSeconds;
        return new RunResult
        {
            Strategy = plan.Strategy,
            Fault = plan.Fault?.Fault.Name,
            Requests = measured.Totals.Requests,
            Rps = Math.Round(seconds > 0 ? measured.Totals.Requests / seconds : 0, 1),
            P50Ms = Math.Round(measured.P50Ms, 2),
            P99Ms = Math.Round(measured.P99Ms, 2),
            Errors = measured.Totals.Errors,
            SessionsLost = measured.Totals.SessionsLost,
            StaleReads = measured.Totals.StaleReads,
            LostUpdates = measured.Totals.LostUpdates,
            UnavailableSeconds = measured.UnavailableSeconds,
            Nodes = plan.Nodes,
            Users = plan.Workload.Kind == WorkloadKind.Mixed ? plan.Workload.Users : plan.Workload.Connections,
            DurationSeconds = Math.Round(seconds, 2),
            SignedInUsers = measured.SignedInUsersAtStart,
            WrongUser = measured.Totals.WrongUser,
            UsersLosingSessions = measured.UsersLosingSessions,
            StartedAt = startedAt,
            ServedBy = measured.ServedBy,
            FaultAtSeconds = fault is null ? null : Math.Round(fault.AppliedAt.TotalSeconds, 2),
            FaultTarget = fault?.Outcome.Target,
            FaultDetail = fault?.Outcome.Detail,
            UsersOnFaultTarget = fault?.Outcome.UsersOnTarget,
            SignedInUsersAtFault = fault?.SignedInUsers,
            ResumedAfterSeconds = fault is null || measured.ResumedAfterFault is not { } resumed ? null : Math.Round(resumed.TotalSeconds, 2),
            FailoverSeconds = fault?.Outcome.FailoverSeconds,
            FailoverTo = fault?.Outcome.Successor,
            LagSeconds = fault?.Outcome.LagSeconds,
            ReplicationBytesLost = fault?.Outcome.ReplicationBytesLost,
            TimeSeries = measured.TimeSeries,
            Workload = plan.Workload.Kind.Name(),
            Connections = plan.Workload.Kind == WorkloadKind.Mixed ? null : plan.Workload.Connections,
            Sessions = plan.Workload.Kind switch
            {
                WorkloadKind.Write => plan.Workload.Sessions,
                WorkloadKind.Contended => 1,
                _ => null,
            },
            RoundRps = [Math.Round(seconds > 0 ? measured.Totals.Requests / seconds : 0, 1)],
            Conflicts = measured.Conflicts,
            AcknowledgedWrites = measured.AcknowledgedWrites,
            Persistence = plan.Persistence?.Name,
            StoreLinksProxied = plan.StoreLinksProxied ? true : null,
            NearCache = plan.NearCache ? true : null,
            SessionFree = plan.SessionFree ? true : null,
            FaultSettings = plan.Fault?.Settings?.ToString() is { Length: > 0 } settings ? settings : null,
            FaultHeldSeconds = fault?.Outcome.HeldSeconds,
            LinksHit = fault?.Outcome.LinksHit,
            RequestsDuringFault = window?.Requests,
            ErrorsDuringFault = window?.Errors,
            ErrorsNotServedDuringFault = window?.ErrorsNotServedByNode,
            P99DuringFaultMs = window is null ? null : Math.Round(window.P99Ms, 1),
            MaxDuringFaultMs = window is null ? null : Math.Round(window.MaxMs, 1),
            LongestNodeFailureMs = window is null ? null : Math.Round(window.LongestNodeFailureMs, 1),
            LongestNodeFailureOperation = window?.LongestNodeFailureOperation,
            StoreRestartSeconds = fault?.Outcome.RestartSeconds,
            StoredSessionsBeforeFault = fault?.Outcome.StoredSessionsBefore,
            StoredSessionsAfterFault = fault?.Outcome.StoredSessionsAfter,
            ChangesSinceLastSave = fault?.Outcome.ChangesSinceLastSave,
            PartitionHeal = fault?.Outcome.Heal,
            FaultLatencyMs = (plan.Fault?.Fault as Chaos.StoreLinkFault)?.Latency?.TotalMilliseconds,
            MinorityWritesAcceptedSeconds = fault?.Outcome.MinorityWritesAcceptedSeconds,
            SplitBrain = fault?.Outcome.SplitBrain,
            FaultWindowSeconds = window is null ? null : Math.Round(window.Window.TotalSeconds, 2),
        };
    }
}
