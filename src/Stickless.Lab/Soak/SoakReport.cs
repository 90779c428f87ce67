using System.Globalization;
using System.Text;
using System.Text.Json;
using Stickless.Lab.Report;

namespace Stickless.Lab.Soak;

/// <summary>Writes <c>soak.json</c> and <c>soak.md</c>: the verdict, one row per fault with its promise, the processes.</summary>
internal static class SoakReport
{
    /// <summary>The results file's name inside the output folder.</summary>
    public const string FileName = "soak.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes both files.</summary>
    /// <returns>The JSON file's full path.</returns>
    public static async Task<string> WriteAsync(string directory, SoakResult result, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Options), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.ChangeExtension(path, ".md"), Markdown(result), ct).ConfigureAwait(false);
        return path;
    }

    /// <summary>The soak as Markdown.</summary>
    public static string Markdown(SoakResult result)
    {
        var totals = result.Totals;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**{(result.Passed ? "passed" : "FAILED")}**: {result.Strategy}{(result.Persistence is { } p ? $" [{p}]" : string.Empty)}, {result.Nodes} nodes, {result.Users} users, {result.DurationSeconds / 60:0.#} min, {result.Faults.Count} faults (one every {result.FaultEverySeconds:0} s); {totals.Requests:N0} requests ({totals.Rps:N0}/s), p50 {totals.P50Ms:0.#} ms, p99 {totals.P99Ms:0.#} ms, {totals.Errors:N0} errors, {totals.SessionsLost:N0} sessions lost, {totals.LostUpdates:N0} updates lost, {totals.StaleReads:N0} stale reads, {totals.WrongUser} wrong users.");
        foreach (var failure in result.Failures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
        }

        text.AppendLine();
        text.AppendLine("| at s | fault | errors | unavailable s | sessions lost (users) | lost updates | stale reads | p99 during, ms | served again, s | restored | promise | kept |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var fault in result.Faults)
        {
            var w = fault.Window;
            var kept = fault.Promise.Kept switch { true => "yes", false => "**no**", null => "—" };
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {w.FaultAtSeconds:0} | {w.Fault}{(w.FaultSettings is { } s ? $" ({s})" : string.Empty)} | {w.Errors:N0} | {w.UnavailableSeconds} | {w.SessionsLost:N0} ({w.UsersLosingSessions}) | {w.LostUpdates:N0} | {w.StaleReads:N0} | {w.P99DuringFaultMs:N0} | {(w.ResumedAfterSeconds is { } r ? r.ToString("0.0#", CultureInfo.InvariantCulture) : "—")} | {(fault.Restored.Count == 0 ? "—" : string.Join(", ", fault.Restored))} | {fault.Promise.Promise} | {kept} |");
        }

        text.AppendLine();
        text.AppendLine(ProcessTable.Markdown(result.Processes));
        return text.ToString();
    }
}
