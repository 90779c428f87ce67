namespace Stickless.Lab.Processes;

/// <summary>
/// One process's resources over a run, for the report: its incarnations (a restarted process has a new pid) and the
/// trend of memory, threads and descriptors over its longest-lived incarnation.
/// </summary>
/// <param name="Name">The process's name in the deployment (<c>node1</c>, <c>redis</c>).</param>
/// <param name="Pids">Its pids, in the order seen.</param>
/// <param name="Samples">How many samples the trends are drawn from.</param>
/// <param name="SampledSeconds">How long the longest-lived incarnation was sampled.</param>
/// <param name="MemoryBytes">Resident memory; null with too few samples.</param>
/// <param name="Threads">Threads; null with too few samples.</param>
/// <param name="Handles">Open descriptors; null with too few samples.</param>
internal sealed record ProcessUsage(
    string Name,
    IReadOnlyList<int> Pids,
    int Samples,
    double SampledSeconds,
    ResourceTrend? MemoryBytes,
    ResourceTrend? Threads,
    ResourceTrend? Handles)
{
    /// <summary>True when every trend that could be drawn is flat.</summary>
    public bool Flat => (MemoryBytes?.Flat ?? true) && (Threads?.Flat ?? true) && (Handles?.Flat ?? true);

    /// <summary>The usage of <paramref name="name"/> from its samples.</summary>
    public static ProcessUsage Of(string name, IReadOnlyList<ProcessSample> samples, UsageTolerance tolerance)
    {
        var pids = samples.Select(static s => s.Pid).Distinct().ToList();
        var longest = samples.GroupBy(static s => s.Pid).OrderByDescending(static g => g.Count()).FirstOrDefault()?.ToList() ?? [];
        var seconds = longest.Select(static s => s.Seconds).ToList();
        return new ProcessUsage(
            name,
            pids,
            longest.Count,
            longest.Count > 1 ? Math.Round(longest[^1].Seconds - longest[0].Seconds, 1) : 0,
            ResourceTrend.Of(seconds, [.. longest.Select(static s => (double)s.ResidentBytes)], tolerance.MemoryBytes, tolerance.MemoryFraction),
            ResourceTrend.Of(seconds, [.. longest.Select(static s => (double)s.Threads)], tolerance.Threads, tolerance.ThreadsFraction),
            ResourceTrend.Of(seconds, [.. longest.Select(static s => (double)s.Handles)], tolerance.Handles, tolerance.HandlesFraction));
    }
}
