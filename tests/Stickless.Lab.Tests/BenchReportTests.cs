using System.Text.Json;
using Stickless.Lab.Bench;
using Stickless.Lab.Report;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>results.json's shape and the HTML report, from made-up runs (no server).</summary>
public sealed class BenchReportTests : IDisposable
{
    private static readonly string[] DesignFields =
        ["strategy", "fault", "requests", "rps", "p50Ms", "p99Ms", "errors", "sessionsLost", "staleReads", "lostUpdates", "unavailableSeconds"];

    private readonly string _directory = Directory.CreateTempSubdirectory("stickless-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WriteAsync_Runs_HasEveryDesignField()
    {
        await ResultsFile.WriteAsync(_directory, new BenchResults { Runs = [Run("local", sessionsLost: 812)] }, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "results.json")));
        var run = json.RootElement.GetProperty("runs")[0];
        foreach (var field in DesignFields)
        {
            Assert.True(run.TryGetProperty(field, out _), $"results.json lacks '{field}'");
        }

        Assert.Equal(JsonValueKind.Null, run.GetProperty("fault").ValueKind);
        Assert.Equal(812, run.GetProperty("sessionsLost").GetInt64());
    }

    [Fact]
    public async Task ReadAsync_WrittenResults_RoundTrips()
    {
        var written = new BenchResults { Runs = [Run("sticky"), Run("sticky", fault: "kill-node", sessionsLost: 13)] };
        await ResultsFile.WriteAsync(_directory, written, CancellationToken.None);

        var read = await ResultsFile.ReadAsync(_directory, CancellationToken.None);

        Assert.Equal(2, read.Runs.Count);
        Assert.Equal("kill-node", read.Runs[1].Fault);
        Assert.Equal(13, read.Runs[1].SessionsLost);
        Assert.Equal(written.Runs[0].TimeSeries, read.Runs[0].TimeSeries);
    }

    [Fact]
    public void Render_ThreeStrategies_IsSelfContainedWithChartsAndOneLinePerRun()
    {
        var html = HtmlReport.Render(
            new BenchResults { Runs = [Run("local", sessionsLost: 900), Run("sticky"), Run("sticky", fault: "kill-node", sessionsLost: 13)] },
            DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(CountOf(html, "<svg") >= 4 + 3, "four comparison charts and one per-second chart per run");
        Assert.Contains("local: 900 sessions lost", html, StringComparison.Ordinal);
        Assert.Contains("sticky: lost nothing", html, StringComparison.Ordinal);
        Assert.Contains("sticky + kill-node: 13 sessions lost", html, StringComparison.Ordinal);
        Assert.Contains("class=\"marker\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_SameStrategyAndFault_ReplacesTheEarlierRun()
    {
        var earlier = new BenchResults { Runs = [Run("local"), Run("sticky")] };
        var merged = ReportWriter.Merge(earlier, new BenchResults { Runs = [Run("sticky", sessionsLost: 1), Run("sticky", fault: "kill-node")] });

        Assert.Equal(["local", "sticky", "sticky"], merged.Runs.Select(r => r.Strategy));
        Assert.Equal(1, merged.Runs[1].SessionsLost);
        Assert.Equal("kill-node", merged.Runs[2].Fault);
    }

    [Fact]
    public async Task ReportCommand_ResultsFile_RegeneratesTheHtml()
    {
        await ResultsFile.WriteAsync(_directory, new BenchResults { Runs = [Run("redis")] }, CancellationToken.None);

        var exit = await ReportCommand.RunAsync(new ReportArguments(_directory), TextWriter.Null, TextWriter.Null, TimeProvider.System, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("redis: lost nothing", await File.ReadAllTextAsync(Path.Combine(_directory, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportCommand_NoResults_FailsWithAMessage()
    {
        var error = new StringWriter();
        var exit = await ReportCommand.RunAsync(new ReportArguments(Path.Combine(_directory, "none")), TextWriter.Null, error, TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("results.json", error.ToString(), StringComparison.Ordinal);
    }

    private static RunResult Run(string strategy, string? fault = null, long sessionsLost = 0) => new()
    {
        Strategy = strategy,
        Fault = fault,
        Requests = 10_000,
        Rps = 500,
        P50Ms = 4.2,
        P99Ms = 31.5,
        SessionsLost = sessionsLost,
        Nodes = 3,
        Users = 40,
        DurationSeconds = 20,
        ServedBy = new Dictionary<string, long> { ["node1"] = 5000, ["node2"] = 5000 },
        FaultAtSeconds = fault is null ? null : 8,
        FaultTarget = fault is null ? null : "node2",
        TimeSeries = [.. Enumerable.Range(0, 20).Select(s => new TimeSeriesPoint(s, 500, s is 8 or 9 ? 300 : 0, 0))],
    };

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
