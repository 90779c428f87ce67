using System.Globalization;
using System.Text;
using Stickless.Lab.Bench;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Report;

/// <summary>
/// What the report (and <c>bench --compare</c> on the console) opens with: per workload, the strategies side by side on
/// what decides between them (requests/s and its ratio to Stickless, latency, store round trips per request, what was
/// lost, fixation), and a throughput chart.
/// </summary>
internal static class HeadlineTable
{
    /// <summary>The strategy the ratios are taken against when it ran: Stickless on one Redis.</summary>
    public const string Baseline = "redis";

    private const string Throughput = "#3b6fd4";

    /// <summary>
    /// The fault-free runs grouped by workload, in the order they first appear; a session-free measurement joins the read
    /// runs it was taken beside.
    /// </summary>
    public static IReadOnlyList<IGrouping<string, RunResult>> Groups(IEnumerable<RunResult> runs) =>
        [.. runs.Where(static r => r.Fault is null).GroupBy(static r => r.SessionFree == true ? WorkloadKind.Read.Name() : r.Workload ?? WorkloadKind.Mixed.Name(), StringComparer.Ordinal)];

    /// <summary>
    /// How many times the baseline's requests/s <paramref name="run"/>'s is (baseline ÷ run); null without a baseline or a
    /// rate. The baseline is the group's first Stickless-on-Redis run (the near-cache one first when both ran), never a
    /// session-free measurement.
    /// </summary>
    public static double? RatioToBaseline(IEnumerable<RunResult> group, RunResult run) =>
        group.FirstOrDefault(static r => r.Strategy == Baseline && r.SessionFree != true) is { Rps: > 0 } baseline && run.Rps > 0 && !ReferenceEquals(baseline, run)
            ? baseline.Rps / run.Rps
            : null;

    /// <summary>Appends the headline sections (nothing when no run is fault-free).</summary>
    public static void AppendHtml(StringBuilder html, IReadOnlyList<RunResult> runs)
    {
        foreach (var group in Groups(runs))
        {
            var members = group.ToList();
            var workload = WorkloadKinds.TryParse(group.Key, out var kind) ? kind.Describe() : group.Key;
            html.Append(CultureInfo.InvariantCulture, $"<h2>Headline: {Svg.Text(group.Key)} <span class=\"meta\">({Svg.Text(workload)}; {Svg.Text(Shape(members[0]))})</span></h2>");
            var logout = members.Any(static r => r.LogoutUnseenP99Ms is not null);
            html.Append("<table class=\"headline\"><thead><tr><th>strategy</th><th>req/s</th><th>redis ÷ this</th><th>p50 ms</th><th>p99 ms</th><th>store round trips / request</th><th>sessions lost</th><th>lost updates</th><th>stale reads</th><th>errors (409)</th><th>pre-login id signed in after login</th>");
            html.Append(logout ? "<th>logout unseen on another node, p99 ms</th></tr></thead><tbody>" : "</tr></thead><tbody>");
            foreach (var run in members)
            {
                var fixation = run.PreLoginIdSignedInAfterLogin switch
                {
                    true => "<td class=\"nonzero\">yes: fixation</td>",
                    false => "<td>no</td>",
                    null => "<td>—</td>",
                };
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.Text(Name(run))}</td><td>{run.Rps:#,0}</td><td>{Ratio(RatioToBaseline(members, run))}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td>{run.P50Ms:0.0}</td><td>{run.P99Ms:0.0}</td><td>{Number(run.StoreRoundTripsPerRequest)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td{Flag(run.SessionsLost)}>{run.SessionsLost:#,0}</td><td{Flag(run.LostUpdates)}>{run.LostUpdates:#,0}{OutOf(run)}</td><td{Flag(run.StaleReads)}>{run.StaleReads:#,0}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td{Flag(run.Errors)}>{run.Errors:#,0} ({run.Conflicts:#,0})</td>{fixation}");
                html.Append(logout ? $"<td>{Logout(run)}</td></tr>" : "</tr>");
            }

            html.Append("</tbody></table><div class=\"charts\">");
            var labels = members.Select(Name).ToList();
            html.Append(BarChart.Render($"Requests/s, {group.Key}", "requests/s", labels, [new ChartSeries("requests/s", Throughput, [.. members.Select(static r => r.Rps)])]));
            html.Append(BarChart.Render($"Latency, {group.Key}", "ms", labels,
            [
                new ChartSeries("p50", "#6aa0f7", [.. members.Select(static r => r.P50Ms)]),
                new ChartSeries("p99", "#1f3f86", [.. members.Select(static r => r.P99Ms)]),
            ]));
            html.Append("</div>");
        }
    }

    /// <summary>The same tables in Markdown, for the console and the READMEs.</summary>
    public static string Markdown(IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder();
        foreach (var group in Groups(runs))
        {
            var members = group.ToList();
            text.Append(CultureInfo.InvariantCulture, $"workload {group.Key}: {Shape(members[0])}\n\n");
            var logout = members.Any(static r => r.LogoutUnseenP99Ms is not null);
            text.Append("| strategy | req/s | redis ÷ this | p50 ms | p99 ms | store round trips / request | sessions lost | lost updates | stale reads | errors (409) | pre-login id signed in after login |");
            text.Append(logout ? " logout unseen on another node, p99 ms |\n" : "\n");
            text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            text.Append(logout ? "---:|\n" : "\n");
            foreach (var run in members)
            {
                var fixation = run.PreLoginIdSignedInAfterLogin switch { true => "**yes**", false => "no", null => "—" };
                text.Append(CultureInfo.InvariantCulture,
                    $"| {Name(run)} | {run.Rps:#,0} | {Ratio(RatioToBaseline(members, run))} | {run.P50Ms:0.0} | {run.P99Ms:0.0} | {Number(run.StoreRoundTripsPerRequest)} | {run.SessionsLost:#,0} | {run.LostUpdates:#,0}{OutOf(run)} | {run.StaleReads:#,0} | {run.Errors:#,0} ({run.Conflicts:#,0}) | {fixation} |");
                text.Append(logout ? $" {Logout(run)} |\n" : "\n");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Shape(RunResult run)
    {
        var load = run.Connections is { } connections ? $"{connections} connections" : $"{run.Users} users";
        var sessions = run.Sessions is { } count ? string.Create(CultureInfo.InvariantCulture, $", {count} session{(count == 1 ? string.Empty : "s")}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{run.Nodes} node{(run.Nodes == 1 ? string.Empty : "s")}, {load}{sessions}, {run.Rounds} × {run.DurationSeconds / Math.Max(1, run.Rounds):0} s");
    }

    private static string OutOf(RunResult run) =>
        run.AcknowledgedWrites is { } acknowledged && acknowledged > 0
            ? string.Create(CultureInfo.InvariantCulture, $" of {acknowledged:#,0} ({100.0 * run.LostUpdates / acknowledged:0.#} %)")
            : string.Empty;

    private static string Logout(RunResult run) =>
        run.LogoutUnseenP99Ms is { } p99
            ? string.Create(CultureInfo.InvariantCulture, $"{p99:0.0} (max {run.LogoutUnseenMaxMs:0.0}; {run.LogoutStaleAnswers:#,0} stale of {run.LogoutTrials:#,0} logouts)")
            : "—";

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Number(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Flag(long value) => value > 0 ? " class=\"nonzero\"" : string.Empty;

    /// <summary>The strategy and its variant (<c>redis [aof-always]</c>, <c>redis [near-cache]</c>), so that settings compared side by side stay apart.</summary>
    private static string Name(RunResult run) =>
        RunLabel.Of(run.Strategy, run.Persistence, run.StoreLinksProxied == true && run.Fault is null, null, null, run.NearCache == true, run.SessionFree == true);
}
