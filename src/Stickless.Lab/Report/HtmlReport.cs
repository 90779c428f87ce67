using System.Globalization;
using System.Text;
using Stickless.Lab.Bench;

namespace Stickless.Lab.Report;

/// <summary>
/// Renders <c>results.json</c> as one self-contained HTML page (no script, no CDN): a verdict per
/// run, the figures table, bar charts side by side, and a per-second chart for each run.
/// </summary>
internal static class HtmlReport
{
    private const string Throughput = "#3b6fd4";
    private const string P50 = "#6aa0f7";
    private const string P99 = "#1f3f86";
    private const string SessionsLost = "#d64541";
    private const string StaleReads = "#f0a030";
    private const string LostUpdates = "#8e44ad";
    private const string Requests = "#3b6fd4";
    private const string Errors = "#d64541";

    /// <summary>The page for <paramref name="results"/>, generated at <paramref name="generatedAt"/>.</summary>
    public static string Render(BenchResults results, DateTimeOffset generatedAt)
    {
        var runs = results.Runs;
        var labels = runs.Select(RunNarrative.Label).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>Stickless lab report</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>Stickless lab: session strategies compared</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Generated {Svg.Text(generatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))} · {runs.Count} runs · {Svg.Text(Setup(runs))}</p>");

        if (runs.Count == 0)
        {
            html.Append("<p>No runs in results.json.</p></body></html>");
            return html.ToString();
        }

        HeadlineTable.AppendHtml(html, runs);
        html.Append("<h2>What happened</h2><ul class=\"verdicts\">");
        foreach (var run in runs)
        {
            var kind = run.WrongUser > 0 || run.SessionsLost > 0 || run.LostUpdates > 0 ? "bad" : RunNarrative.IsClean(run) ? "good" : "warn";
            html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"badge {kind}\">{Svg.Text(RunNarrative.Label(run))}: {Svg.Text(RunNarrative.Verdict(run))}</span> {Svg.Text(RunNarrative.Explain(run))}</li>");
        }

        html.Append("</ul>");
        AppendPromises(html, runs);
        AppendTable(html, runs);

        html.Append("<h2>Side by side</h2><div class=\"charts\">");
        html.Append(BarChart.Render("Throughput", "requests/s", labels, [new ChartSeries("requests/s", Throughput, [.. runs.Select(static r => r.Rps)])]));
        html.Append(BarChart.Render("Latency", "ms", labels,
        [
            new ChartSeries("p50", P50, [.. runs.Select(static r => r.P50Ms)]),
            new ChartSeries("p99", P99, [.. runs.Select(static r => r.P99Ms)]),
        ]));
        html.Append(BarChart.Render("What was lost", "count", labels,
        [
            new ChartSeries("sessions lost", SessionsLost, [.. runs.Select(static r => (double)r.SessionsLost)]),
            new ChartSeries("stale reads", StaleReads, [.. runs.Select(static r => (double)r.StaleReads)]),
            new ChartSeries("lost updates", LostUpdates, [.. runs.Select(static r => (double)r.LostUpdates)]),
        ], minimumMax: 4));
        html.Append(BarChart.Render("Errors and unavailability", "count", labels,
        [
            new ChartSeries("errors", Errors, [.. runs.Select(static r => (double)r.Errors)]),
            new ChartSeries("unavailable seconds", "#555", [.. runs.Select(static r => (double)r.UnavailableSeconds)]),
        ], minimumMax: 4));
        html.Append("</div>");

        AppendReplication(html, runs);
        html.Append("<h2>Second by second</h2><div class=\"charts\">");
        foreach (var run in runs)
        {
            var series = run.TimeSeries;
            html.Append(LineChart.Render(
                RunNarrative.Label(run),
                [
                    new ChartSeries("requests/s", Requests, [.. series.Select(static p => (double)p.Requests)]),
                    new ChartSeries("errors/s", Errors, [.. series.Select(static p => (double)p.Errors)], RightAxis: true),
                    new ChartSeries("sessions lost/s", StaleReads, [.. series.Select(static p => (double)p.SessionsLost)], RightAxis: true),
                ],
                [.. series.Select(static p => p.IsUnavailable)],
                run.FaultAtSeconds,
                run.Fault is null ? null : $"{run.Fault} → {run.FaultTarget}"));
        }

        html.Append("</div>");
        AppendServedBy(html, runs);
        html.Append(Definitions);
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>For fault runs: the fault × strategy figures beside what the design promises, a broken promise flagged.</summary>
    private static void AppendPromises(StringBuilder html, IReadOnlyList<RunResult> runs)
    {
        var faulted = runs.Where(static r => r.Fault is not null).ToList();
        if (faulted.Count == 0)
        {
            return;
        }

        var verdicts = faulted.Select(static r => (Run: r, Verdict: Matrix.Promises.Evaluate(r))).ToList();
        html.Append(CultureInfo.InvariantCulture, $"<h2>Faults against what the design promises</h2><p class=\"meta\">{verdicts.Count(static v => v.Verdict.Kept == false)} of {verdicts.Count} fault runs broke a promise.</p>");
        html.Append("<table><thead><tr><th>strategy</th><th>fault</th><th>errors</th><th>unavailable s</th><th>sessions lost</th><th>updates lost</th><th>stale reads</th><th>p99 during the fault ms</th><th>promise</th><th>kept</th><th>measured</th></tr></thead><tbody>");
        foreach (var (run, verdict) in verdicts)
        {
            var strategy = RunLabel.Of(run.Strategy, run.Persistence, false, null, null);
            var fault = run.FaultSettings is null ? run.Fault! : $"{run.Fault} ({run.FaultSettings})";
            var kept = verdict.Kept switch { true => "<span class=\"badge good\">yes</span>", false => "<span class=\"badge bad\">NO</span>", null => "—" };
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.Text(strategy)}</td><td>{Svg.Text(fault)}</td><td>{run.Errors:#,0}</td><td>{run.UnavailableSeconds}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td{Flag(run.SessionsLost)}>{run.SessionsLost:#,0}</td><td{Flag(run.LostUpdates)}>{run.LostUpdates:#,0}</td><td{Flag(run.StaleReads)}>{run.StaleReads:#,0}</td><td>{Millis(run.P99DuringFaultMs)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td style=\"text-align:left\">{Svg.Text(verdict.Promise)}</td><td>{kept}</td><td style=\"text-align:left\">{Svg.Text(verdict.Measured)}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<RunResult> runs)
    {
        html.Append("<h2>Figures</h2><table><thead><tr><th>strategy</th><th>fault</th><th>requests</th><th>req/s</th><th>p50 ms</th><th>p99 ms</th><th>errors</th><th>sessions lost</th><th>users who lost one</th><th>stale reads</th><th>lost updates</th><th>unavailable s</th><th>resumed after s</th><th>failover s</th><th>p99 during fault ms</th><th>slowest 503 during fault ms</th><th>users</th><th>nodes</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var strategy = RunLabel.Of(run.Strategy, run.Persistence, run.StoreLinksProxied == true && run.Fault is null, null, null, run.NearCache == true, run.SessionFree == true);
            var fault = run.Fault is null ? "—" : run.FaultSettings is null ? run.Fault : $"{run.Fault} ({run.FaultSettings})";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.Text(strategy)}</td><td>{Svg.Text(fault)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{run.Requests:#,0}</td><td>{run.Rps:#,0}</td><td>{run.P50Ms:0.0}</td><td>{run.P99Ms:0.0}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td{Flag(run.Errors)}>{run.Errors:#,0}</td><td{Flag(run.SessionsLost)}>{run.SessionsLost:#,0}</td><td{Flag(run.UsersLosingSessions)}>{run.UsersLosingSessions}</td><td{Flag(run.StaleReads)}>{run.StaleReads:#,0}</td><td{Flag(run.LostUpdates)}>{run.LostUpdates:#,0}</td><td{Flag(run.UnavailableSeconds)}>{run.UnavailableSeconds}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Seconds(run.ResumedAfterSeconds)}</td><td>{Seconds(run.FailoverSeconds)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Millis(run.P99DuringFaultMs)}</td><td>{Millis(run.LongestNodeFailureMs)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{run.Users}</td><td>{run.Nodes}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>For peer-replication runs without a fault: bytes per write and memory per node against N, one line per strategy.</summary>
    private static void AppendReplication(StringBuilder html, IReadOnlyList<RunResult> runs)
    {
        var replicated = runs.Where(static r => r.Fault is null && r.ReplicationBytesPerWrite is not null).ToList();
        if (replicated.Count == 0)
        {
            return;
        }

        string[] colors = ["#3b6fd4", "#d64541", "#2e9e5b", "#8e44ad", "#f0a030", "#555"];
        var strategies = replicated.Select(static r => r.Strategy).Distinct(StringComparer.Ordinal).ToList();
        List<(string, string, IReadOnlyList<(int, double)>)> Series(Func<RunResult, double?> figure) =>
            [.. strategies.Select((name, i) => (name, colors[i % colors.Length], (IReadOnlyList<(int, double)>)[.. replicated
                .Where(r => r.Strategy == name && figure(r) is not null)
                .GroupBy(static r => r.Nodes)
                .Select(g => (g.Key, figure(g.Last())!.Value))]))];
        html.Append("<h2>Peer replication against the number of nodes</h2><div class=\"charts\">");
        html.Append(NodeCountChart.Render("Replication bytes per write", "bytes", Series(static r => r.ReplicationBytesPerWrite)));
        html.Append(NodeCountChart.Render("Session bytes held per node (mean)", "bytes", Series(static r => r.BytesHeldPerNode is { Count: > 0 } held ? held.Values.Average() : null)));
        html.Append(NodeCountChart.Render("Forwarded loads per request (the non-owner hop)", "per request", Series(static r => r.ForwardedLoadsPerRequest)));
        html.Append("</div>");
        html.Append("<table><thead><tr><th>strategy</th><th>nodes</th><th>copy bytes/write</th><th>copy msgs/write</th><th>bytes held per node</th><th>sessions held per node</th><th>forwarded loads/request</th><th>forwarded load ms</th><th>forwarded commits/write</th><th>conflicts</th><th>deletes won</th></tr></thead><tbody>");
        foreach (var run in runs.Where(static r => r.ReplicationMode is not null))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.Text(RunNarrative.Label(run))}</td><td>{run.Nodes}</td><td>{run.ReplicationBytesPerWrite:0}</td><td>{run.ReplicationMessagesPerWrite:0.##}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Svg.Text(string.Join(" · ", (run.BytesHeldPerNode ?? new Dictionary<string, long>()).Select(p => $"{p.Key} {p.Value:#,0}")))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Svg.Text(string.Join(" · ", (run.SessionsHeldPerNode ?? new Dictionary<string, long>()).Select(p => $"{p.Key} {p.Value}")))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{run.ForwardedLoadsPerRequest:0.###}</td><td>{run.ForwardedLoadMs:0.0}</td><td>{run.ForwardedCommitsPerWrite:0.###}</td><td>{run.ReplicationConflicts}</td><td>{run.ReplicationDeletesWon}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void AppendServedBy(StringBuilder html, IReadOnlyList<RunResult> runs)
    {
        html.Append("<h2>Which node served the requests</h2><table><thead><tr><th>run</th><th>requests per node (X-Served-By)</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var total = Math.Max(1, run.ServedBy.Values.Sum());
            var cells = string.Join(" · ", run.ServedBy.Select(p =>
                string.Create(CultureInfo.InvariantCulture, $"{Svg.Text(p.Key)} {p.Value:#,0} ({100.0 * p.Value / total:0}%)")));
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Svg.Text(RunNarrative.Label(run))}</td><td>{cells}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string Millis(double? value) => value is { } ms ? ms.ToString("#,0", CultureInfo.InvariantCulture) : "—";

    private static string Seconds(double? value) => value is { } seconds ? seconds.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Flag(long value) => value > 0 ? " class=\"nonzero\"" : string.Empty;

    private static string Setup(IReadOnlyList<RunResult> runs)
    {
        var shapes = runs.Select(static r => string.Create(CultureInfo.InvariantCulture, $"{r.Nodes} nodes, {r.Users} users, {r.DurationSeconds:0} s"))
            .Distinct(StringComparer.Ordinal);
        return string.Join("; ", shapes) + " per run, all through HAProxy on this machine";
    }

    private const string Definitions = """
        <h2>How the counts are defined</h2>
        <dl class="defs">
        <dt>sessions lost</dt><dd>A signed-in virtual user was answered as anonymous (401 on <code>/me</code> or <code>/wishlist</code>). Each occurrence counts; the user then signs in again, and whatever that session held (counter, wishlist) is not counted again as lost updates.</dd>
        <dt>stale reads</dt><dd>A <code>GET /wishlist</code> on a session confirmed alive that disagreed with the client-side shadow model of acknowledged writes.</dd>
        <dt>lost updates</dt><dd>An acknowledged write whose effect is gone for good on a live session: <code>POST /counter</code> answering less than the last acknowledged value + 1, or a wishlist item that disagrees on three reads in a row.</dd>
        <dt>errors</dt><dd>5xx answers, timeouts (5 s), broken connections and unexpected 4xx.</dd>
        <dt>unavailable seconds</dt><dd>Seconds in which more than half of the completed requests were errors, or none succeeded.</dd>
        <dt>resumed after</dt><dd>For a fault run: seconds from the fault until every virtual user was served again (each user's first successful store request that started after its last failed one; the latest of these).</dd>
        <dt>failover</dt><dd>For a Redis master fault: seconds from the fault until the sentinels (or the cluster) named a new master; — when nobody took over.</dd>
        <dt>p99 during fault, slowest 503</dt><dd>For a fault that lasts (a slow or black-holed store link until healed, a store restart until it answers, a partition until it heals): the 99th percentile latency of the requests that need the session and started meanwhile, and the slowest error a node answered among them (fail-closed 503s, which the store timeout bounds). For an instant fault (a kill), the window runs until every user was served again (at least 1 s).</dd>
        <dt>p50 / p99</dt><dd>Latency of every request seen by the virtual users through HAProxy, sign-in included.</dd>
        </dl>
        """;

    private const string Style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .meta{color:#666;margin:0}
        .verdicts{list-style:none;padding:0}.verdicts li{margin:8px 0}
        .badge{display:inline-block;border-radius:4px;padding:1px 8px;font-weight:600;margin-right:6px}
        .badge.good{background:#e3f5e6;color:#1e6b2e}.badge.bad{background:#fbe3e2;color:#9b1c17}.badge.warn{background:#fff1d6;color:#8a5a00}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid #e5e5e5;padding:5px 8px;text-align:right}
        th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}th{background:#f6f6f6;font-weight:600}
        td.nonzero{color:#b0201a;font-weight:600}
        .charts{display:flex;flex-wrap:wrap;gap:12px}
        .chart{background:#fafafa;border:1px solid #e5e5e5;border-radius:6px}
        .chart .title{font-weight:600;font-size:14px}.chart .axis{font-size:11px;fill:#666}.chart .value{font-size:11px;fill:#222}
        .chart .category{font-size:12px;fill:#222}.chart .grid{stroke:#e2e2e2}.chart .unavailable{fill:#d64541;opacity:.15}
        .chart .marker{stroke:#111;stroke-dasharray:4 3}.chart .marker-label{font-size:11px;fill:#111}
        .defs dt{font-weight:600;margin-top:6px}.defs dd{margin:0 0 0 16px;color:#444}
        """;
}
