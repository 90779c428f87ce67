using Stickless.Lab.Bench;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Report;

/// <summary>Writes <c>results.json</c> and <c>report.html</c> into an output folder.</summary>
internal static class ReportWriter
{
    /// <summary>The report's file name inside the output folder.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>
    /// Merges <paramref name="results"/> into the folder's <c>results.json</c> (a run replaces an
    /// earlier one of the same strategy and fault, so a chaos run can join a bench's report), then
    /// renders the report. Prints both paths to <paramref name="output"/>.
    /// </summary>
    public static async Task<BenchResults> WriteAsync(string directory, BenchResults results, TextWriter output, TimeProvider time, CancellationToken ct)
    {
        var merged = Merge(await TryReadAsync(directory, ct).ConfigureAwait(false), results);
        var json = await ResultsFile.WriteAsync(directory, merged, ct).ConfigureAwait(false);
        var html = await WriteHtmlAsync(directory, merged, time, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"results: {json}").ConfigureAwait(false);
        await output.WriteLineAsync($"report:  {html}").ConfigureAwait(false);
        return merged;
    }

    /// <summary>Renders <c>report.html</c> from <paramref name="results"/>.</summary>
    /// <returns>The report's full path.</returns>
    public static async Task<string> WriteHtmlAsync(string directory, BenchResults results, TimeProvider time, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, HtmlFileName));
        await File.WriteAllTextAsync(path, HtmlReport.Render(results, time.GetUtcNow()), ct).ConfigureAwait(false);
        return path;
    }

    /// <summary>The earlier runs not replaced by a new one (same strategy, fault and workload), then the new runs.</summary>
    internal static BenchResults Merge(BenchResults? earlier, BenchResults fresh)
    {
        if (earlier is null)
        {
            return fresh;
        }

        // Keyed by the label (strategy, its variant such as persistence or proxied links, fault and the fault's
        // parameters) and the workload.
        var replaced = fresh.Runs.Select(Key).ToHashSet();
        return new BenchResults
        {
            Runs = [.. earlier.Runs.Where(r => !replaced.Contains(Key(r))), .. fresh.Runs],
        };
    }

    // Runs written before workloads existed were all of the mixed workload.
    private static (string Label, string Workload) Key(RunResult run) =>
        (RunNarrative.Label(run), run.Workload ?? WorkloadKind.Mixed.Name());

    private static async Task<BenchResults?> TryReadAsync(string directory, CancellationToken ct)
    {
        try
        {
            return await ResultsFile.ReadAsync(directory, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
