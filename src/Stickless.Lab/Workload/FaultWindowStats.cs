namespace Stickless.Lab.Workload;

/// <summary>
/// The requests that need the session store and started while a fault held (<see cref="WorkloadRecorder.WindowStats"/>).
/// </summary>
/// <param name="Window">How long the window lasted.</param>
/// <param name="Requests">Requests started in it (and completed).</param>
/// <param name="Errors">Of which errors.</param>
/// <param name="ErrorsNotServedByNode">Of the errors, those no node answered: HAProxy's 503 with every server down, timeouts, broken connections.</param>
/// <param name="P99Ms">Their 99th percentile latency, in milliseconds.</param>
/// <param name="MaxMs">The longest of them, in milliseconds.</param>
/// <param name="LongestNodeFailureMs">The longest error a node answered (a fail-closed 503), in milliseconds; 0 when none.</param>
internal sealed record FaultWindowStats(
    TimeSpan Window, long Requests, long Errors, long ErrorsNotServedByNode, double P99Ms, double MaxMs, double LongestNodeFailureMs)
{
    /// <summary>Their median latency, in milliseconds.</summary>
    public double P50Ms { get; init; }

    /// <summary>What the slowest node error was (<c>POST /counter</c>); null when none.</summary>
    public string? LongestNodeFailureOperation { get; init; }
}
