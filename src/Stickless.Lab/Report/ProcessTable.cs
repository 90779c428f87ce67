using System.Globalization;
using System.Text;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Report;

/// <summary>The processes' resources over a long run (abuse, soak), as a Markdown table.</summary>
internal static class ProcessTable
{
    /// <summary>One row per process: memory first → peak → last and its second-half slope, threads, descriptors, flat or not.</summary>
    public static string Markdown(IReadOnlyList<ProcessUsage> processes)
    {
        var text = new StringBuilder();
        text.AppendLine("| process | sampled s | memory MiB first → peak → last | memory slope, 2nd half | threads first → peak → last | descriptors first → peak → last | flat |");
        text.AppendLine("|---|---:|---|---:|---|---|---|");
        foreach (var process in processes)
        {
            var restarts = process.Pids.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({process.Pids.Count} pids)") : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {process.Name}{restarts} | {process.SampledSeconds:0} | {Range(process.MemoryBytes, ResourceTrend.MiB)} | {Slope(process.MemoryBytes)} | {Range(process.Threads, Whole)} | {Range(process.Handles, Whole)} | {(process.Flat ? "yes" : "**no**")} |");
        }

        return text.ToString();
    }

    private static string Whole(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string Range(ResourceTrend? trend, Func<double, string> format) =>
        trend is null ? "—" : $"{format(trend.First)} → {format(trend.Peak)} → {format(trend.Last)}";

    private static string Slope(ResourceTrend? trend) =>
        trend is null ? "—" : string.Create(CultureInfo.InvariantCulture, $"{(trend.SlopePerMinute >= 0 ? "+" : "−")}{ResourceTrend.MiB(Math.Abs(trend.SlopePerMinute))} MiB/min");
}
