using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>A short real chaos run: kill one sticky node part-way.</summary>
[Collection(BenchFixture.Collection)]
public sealed class ChaosProcessTests
{
    private readonly BenchFixture _fixture;

    public ChaosProcessTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunAsync_KillNodeOnSticky_LosesThatNodesSessionsAndTheNodeIsDead()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var log = new LabTestLog();
        var pids = new List<int>();
        var plan = new RunPlan(
            "sticky",
            2,
            _fixture.Paths.RunDirectory("chaos-test-sticky"),
            BenchProcessTests.ShortWorkload(users: 9),
            new FaultPlan(new KillNodeFault(), At: 0.4))
        {
            Paths = _fixture.Paths,
            DeploymentStarted = d => pids.AddRange(BenchProcessTests.AllPids(d)),
        };

        var result = await new BenchRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(plan, timeout.Token);

        Assert.Equal("kill-node", result.Fault);
        Assert.NotNull(result.FaultTarget);
        Assert.False(result.FaultTargetAliveAtEnd, $"the killed node must stay dead\n{log}");
        Assert.True(result.UsersOnFaultTarget > 0, log.ToString());
        Assert.True(result.SessionsLost > 0, $"sticky must lose the killed node's sessions\n{log}");
        Assert.True(result.SessionsLost <= result.Users, $"at most one loss per user: {result.SessionsLost}\n{log}");
        Assert.Equal(0, result.WrongUser);
        Assert.All(pids, pid => Assert.False(BenchFixture.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
