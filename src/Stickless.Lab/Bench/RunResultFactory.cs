using Stickless.Lab.Workload;

namespace Stickless.Lab.Bench;

/// <summary>Turns a workload's measurements into the <c>results.json</c> entry.</summary>
internal static class RunResultFactory
{
    /// <summary>The entry for <paramref name="plan"/>.</summary>
    public static RunResult Create(RunPlan plan, WorkloadResult measured, DateTimeOffset startedAt, FaultReport? fault)
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
        };
    }
}
