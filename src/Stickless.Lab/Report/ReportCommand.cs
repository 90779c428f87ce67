using System.Text.Json;
using Stickless.Lab.Bench;

namespace Stickless.Lab.Report;

/// <summary><c>stickless report --in DIR</c>: renders <c>DIR/report.html</c> again from <c>DIR/results.json</c>.</summary>
internal static class ReportCommand
{
    /// <summary>Runs the command on the console.</summary>
    /// <returns>0 on success, 1 when there is no readable <c>results.json</c>.</returns>
    public static Task<int> RunAsync(ReportArguments args, CancellationToken ct) =>
        RunAsync(args, Console.Out, Console.Error, TimeProvider.System, ct);

    /// <summary>Runs the command with its writers and clock given (tests).</summary>
    public static async Task<int> RunAsync(ReportArguments args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken ct)
    {
        BenchResults results;
        try
        {
            results = await ResultsFile.ReadAsync(args.InDirectory, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            await error.WriteLineAsync($"! cannot read {Path.Combine(args.InDirectory, ResultsFile.FileName)}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var path = await ReportWriter.WriteHtmlAsync(args.InDirectory, results, time, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"report: {path}").ConfigureAwait(false);
        return 0;
    }
}
