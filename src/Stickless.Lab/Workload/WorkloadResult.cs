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
    TimeSpan? ResumedAfterFault = null)
{
    /// <summary>Every latency measured, so that rounds can be merged; null when not kept.</summary>
    public LatencyHistogram? Latency { get; init; }

    /// <summary>409 answers (a compare-and-set that gave up): counted among the errors too.</summary>
    public long Conflicts { get; init; }

    /// <summary>For the counter workloads: increments answered 200.</summary>
    public long? AcknowledgedWrites { get; init; }
}
