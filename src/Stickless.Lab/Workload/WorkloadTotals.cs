namespace Stickless.Lab.Workload;

/// <summary>A consistent-enough snapshot of a running workload's counters (each read atomically).</summary>
internal sealed record WorkloadTotals(
    TimeSpan Elapsed,
    long Requests,
    long Errors,
    long SessionsLost,
    long StaleReads,
    long LostUpdates,
    long WrongUser)
{
    /// <summary>Requests per second since the run started.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
}
