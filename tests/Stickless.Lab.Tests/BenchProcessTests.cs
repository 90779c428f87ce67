using System.Text.Json;
using Stickless.Lab.Bench;
using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>Short real benches: two Festa nodes behind a real HAProxy, eight virtual users, five seconds.</summary>
[Collection(BenchFixture.Collection)]
public sealed class BenchProcessTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(150);
    private readonly BenchFixture _fixture;

    public BenchProcessTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunAsync_LocalStrategy_LosesSessionsAndStopsEverything()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var log = new LabTestLog();
        var pids = new List<int>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Uri? dashboard = null;
        Task<string>? stateDuringRun = null;
        var progress = new StringWriter();
        var plan = new RunPlan("local", 2, _fixture.Paths.RunDirectory("bench-test-local"), ShortWorkload())
        {
            Paths = _fixture.Paths,
            DeploymentStarted = d => pids.AddRange(AllPids(d)),
            DashboardPort = 0,
            DashboardStarted = url =>
            {
                dashboard = url;
                stateDuringRun = http.GetStringAsync(new Uri(url, "api/state"), timeout.Token);
            },
        };

        var result = await new BenchRunner(log, TextWriter.Synchronized(progress), TimeProvider.System).RunAsync(plan, timeout.Token);

        Assert.True(result.SessionsLost > 0, $"local must lose sessions; got {result.SessionsLost}\n{log}");
        Assert.True(result.Requests > 0, log.ToString());
        Assert.Equal(0, result.WrongUser);
        Assert.NotEmpty(pids);
        Assert.All(pids, pid => Assert.False(BenchFixture.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(_fixture.LeftoverPidFiles());

        // The live dashboard showed this deployment while it ran, its address was printed once, and it
        // stopped with the deployment.
        Assert.NotNull(dashboard);
        Assert.Equal(1, progress.ToString().Split('\n').Count(l => l.Contains($"live dashboard: {dashboard}", StringComparison.Ordinal)));
        using (var state = JsonDocument.Parse(await stateDuringRun!))
        {
            Assert.Equal("local", state.RootElement.GetProperty("strategy").GetString());
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(dashboard, timeout.Token));
    }

    [Fact]
    public async Task BenchCommand_StickyStrategy_LosesNothingAndWritesTheDesignJson()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var log = new LabTestLog();
        var output = new StringWriter();
        var outDirectory = _fixture.NewOutDirectory();
        var args = new BenchArguments
        {
            Strategies = ["sticky"],
            Users = 8,
            Duration = TimeSpan.FromSeconds(5),
            Nodes = 2,
            OutDirectory = outDirectory,
            LabDirectory = _fixture.LabDirectory,
        };

        var exit = await BenchCommand.RunAsync(args, log, TextWriter.Null, output, TimeProvider.System, timeout.Token);

        Assert.True(exit == 0, log.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDirectory, "results.json")));
        var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        foreach (var field in (string[])["strategy", "fault", "requests", "rps", "p50Ms", "p99Ms", "errors", "sessionsLost", "staleReads", "lostUpdates", "unavailableSeconds"])
        {
            Assert.True(run.TryGetProperty(field, out _), $"results.json lacks '{field}'");
        }

        Assert.Equal("sticky", run.GetProperty("strategy").GetString());
        Assert.True(run.GetProperty("requests").GetInt64() > 0);
        Assert.True(run.GetProperty("sessionsLost").GetInt64() == 0, $"sticky lost sessions\n{log}");
        Assert.Equal(0, run.GetProperty("lostUpdates").GetInt64());
        Assert.Equal(0, run.GetProperty("staleReads").GetInt64());
        Assert.True(File.Exists(Path.Combine(outDirectory, "report.html")));
        Assert.Empty(_fixture.LeftoverPidFiles());
    }

    internal static WorkloadOptions ShortWorkload(int users = 8) => new()
    {
        Users = users,
        Duration = TimeSpan.FromSeconds(5),
        WarmUpTimeout = TimeSpan.FromSeconds(45),
    };

    internal static IEnumerable<int> AllPids(LabDeployment deployment) =>
        [.. deployment.Nodes.Select(static n => n.Pid), .. deployment.Services.Select(static s => s.Pid), deployment.HaproxyPid];
}
