using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Stickless.Lab.Matrix;

/// <summary>Writes <c>matrix.json</c> and <c>matrix.md</c>: the fault × strategy table beside what the design promises, broken cells flagged.</summary>
internal static class MatrixReport
{
    /// <summary>The results file's name.</summary>
    public const string FileName = "matrix.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes both files into <paramref name="directory"/>.</summary>
    /// <returns>The Markdown file's full path.</returns>
    public static async Task<string> WriteAsync(string directory, MatrixResult result, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var json = Path.GetFullPath(Path.Combine(directory, FileName));
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result, Options), ct).ConfigureAwait(false);
        var markdown = Path.ChangeExtension(json, ".md");
        await File.WriteAllTextAsync(markdown, Markdown(result), ct).ConfigureAwait(false);
        return markdown;
    }

    /// <summary>The matrix as Markdown: one row per cell, its figures, its promise and whether it held.</summary>
    public static string Markdown(MatrixResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{result.Cells.Count - result.NotRun} cells ran in {result.WallSeconds / 60:0.#} min (budget {result.BudgetSeconds / 60:0} min), {result.Users} users each, {result.WriteFraction:P0} writes; **{result.Broken} broke their promise**{(result.NotRun > 0 ? string.Create(CultureInfo.InvariantCulture, $", {result.NotRun} did not run") : string.Empty)}.");
        text.AppendLine();
        text.AppendLine("| strategy | fault | errors | unavailable s | sessions lost (users) | updates lost | stale reads | p99 during the fault, ms | served again, s | what the design promises | kept |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var cell in result.Cells)
        {
            if (cell.Run is not { } run || cell.Promise is not { } promise)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {cell.Strategy} | {FaultText(cell.Label, cell.Strategy)} | | | | | | | | not run: {cell.NotRun} | |");
                continue;
            }

            var kept = promise.Kept switch { true => "yes", false => "**NO**", null => "—" };
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {cell.Strategy} | {FaultText(cell.Label, cell.Strategy)} | {run.Errors:N0} | {run.UnavailableSeconds} | {run.SessionsLost:N0} ({run.UsersLosingSessions}) | {run.LostUpdates:N0} | {run.StaleReads:N0} | {run.P99DuringFaultMs:N0} | {(run.ResumedAfterSeconds is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "—")} | {promise.Promise} | {kept} |");
        }

        var broken = result.Cells.Where(static c => c.Promise?.Kept == false).ToList();
        if (broken.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Broken promises:");
            foreach (var cell in broken)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- **{cell.Label}**: {cell.Promise!.Promise} — measured: {cell.Promise.Measured}");
            }
        }

        text.AppendLine();
        text.AppendLine("Every cell's figures:");
        foreach (var cell in result.Cells.Where(static c => c.Promise is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {cell.Label}: {cell.Promise!.Measured}");
        }

        return text.ToString();
    }

    private static string FaultText(string label, string strategy) =>
        label.StartsWith(strategy, StringComparison.Ordinal) ? label[strategy.Length..].TrimStart(' ', '+').Trim() : label;
}
