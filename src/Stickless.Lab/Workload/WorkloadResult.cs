namespace Stickless.Lab.Workload;

/// <summary>Everything one workload run measured (<see cref="ResumedAfterFault"/>: see <see cref="WorkloadRecorder.ResumedAfterFault"/>).</summary>
internal sealed record WorkloadResult(
    WorkloadTotals Totals,
    double P50Ms,
    double P99Ms,
    int UnavailableSeconds,
    IReadOnlyList<TimeSeriesPoint> TimeSeries,
    IReadOnlyDictionary<string, long> ServedBy,
    int SignedInUsersAtStart,
    int SignedInUsersAtEnd,
    int UsersLosingSessions,
    TimeSpan? ResumedAfterFault = null);
