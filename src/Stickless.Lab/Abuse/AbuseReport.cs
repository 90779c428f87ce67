using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Stickless.Lab.Abuse;

/// <summary>Writes <c>abuse.json</c> and the Markdown summary of an abuse run (the tables the README carries).</summary>
internal static class AbuseReport
{
    /// <summary>The results file's name inside the output folder.</summary>
    public const string FileName = "abuse.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes <c>DIR/abuse.json</c> and <c>DIR/abuse.md</c>.</summary>
    /// <returns>The JSON file's full path.</returns>
    public static async Task<string> WriteAsync(string directory, AbuseResult result, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Options), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.ChangeExtension(path, ".md"), Markdown(result), ct).ConfigureAwait(false);
        return path;
    }

    /// <summary>The run as Markdown: the verdict, one row per attack family, the real users, the processes.</summary>
    public static string Markdown(AbuseResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{(result.Passed ? "passed" : "FAILED")}**: {result.Strategy}, {result.Nodes} nodes, {result.DurationSeconds:0} s, {result.Attackers} attackers and {result.SlowClients} slow clients, {result.HostileRequests:N0} hostile requests ({result.HostileRps:N0}/s); 5xx {result.ServerErrors}, hung {result.Hangs}, check failures {result.Violations}, leaks {result.Leaks}, crashed {(result.Crashed.Count == 0 ? "none" : string.Join(", ", result.Crashed))}.");
        foreach (var failure in result.Failures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
        }

        text.AppendLine();
        text.AppendLine("| family | requests | answered by a node | statuses | closed | 5xx | hung | check failures | leaks | p99 ms |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var attack in result.Attacks)
        {
            var statuses = string.Join(", ", attack.Statuses.Select(static s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}×{s.Value:N0}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {attack.Kind} | {attack.Requests:N0} | {attack.ServedByNode:N0} | {statuses} | {attack.Closed:N0} | {attack.ServerErrors} | {attack.TimedOut + attack.Refused} | {attack.Violations} | {attack.Leaks} | {attack.P99Ms:N0} |");
        }

        var canary = result.Canary;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Real users: {canary.Users} with canaries ({canary.SecretsWatched} secrets watched in every hostile answer), {canary.Checks:N0} checks, {canary.Mismatches} wrong answers, {canary.Errors} errors, p50 {canary.P50Ms:0.#} ms, p99 {canary.P99Ms:0.#} ms.");
        foreach (var example in canary.Examples)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {example}");
        }

        text.AppendLine();
        text.AppendLine(Report.ProcessTable.Markdown(result.Processes));
        return text.ToString();
    }
}
