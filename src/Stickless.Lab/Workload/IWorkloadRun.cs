namespace Stickless.Lab.Workload;

/// <summary>A workload against one front end: a warm-up (sessions made, users signed in), then the measured, bounded run.</summary>
internal interface IWorkloadRun : IDisposable
{
    /// <summary>The live counters (progress, dashboard).</summary>
    WorkloadRecorder Recorder { get; }

    /// <summary>Prepares the sessions; bounded by <see cref="WorkloadOptions.WarmUpTimeout"/>.</summary>
    /// <returns>How many users or sessions are ready.</returns>
    Task<int> WarmUpAsync(CancellationToken ct);

    /// <summary>Runs for <see cref="WorkloadOptions.Duration"/> and stops by itself.</summary>
    Task<WorkloadResult> RunAsync(CancellationToken ct);
}
