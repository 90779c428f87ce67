using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>A short real chaos run on redis-ha-wait: Festa nodes behind HAProxy, the Redis master SIGKILLed part-way.</summary>
[Collection(BenchFixture.Collection)]
public sealed class RedisHaChaosTests
{
    private readonly BenchFixture _fixture;

    public RedisHaChaosTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunAsync_KillMasterOnRedisHaWait_FailsOverResumesAndLosesNothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var log = new LabTestLog();
        var pids = new List<int>();
        var plan = new RunPlan(
            "redis-ha-wait",
            2,
            _fixture.Paths.RunDirectory("chaos-test-redis-ha"),
            new WorkloadOptions { Users = 8, Duration = TimeSpan.FromSeconds(10), WarmUpTimeout = TimeSpan.FromSeconds(45) },
            new FaultPlan(new KillMasterFault(), At: 0.25))
        {
            Paths = _fixture.Paths,
            DeploymentStarted = d => pids.AddRange(BenchProcessTests.AllPids(d)),
        };

        var result = await new BenchRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(plan, timeout.Token);

        Assert.Equal("kill-master", result.Fault);
        Assert.Equal("redis1", result.FaultTarget);
        Assert.False(result.FaultTargetAliveAtEnd, log.ToString());
        Assert.Equal(1, result.WaitReplicas);
        Assert.True(result.FailoverSeconds is > 0, $"the sentinels must promote a replica\n{log}");
        Assert.Contains(result.FailoverTo, new[] { "redis2", "redis3" });

        // Resumed well before the end of the run (the issue asks for down-after + 3 s; the test machine is shared, so allow more).
        Assert.True(result.ResumedAfterSeconds is { } resumed && resumed < 7, $"resumed after {result.ResumedAfterSeconds} s\n{log}");

        // WAIT 1: every acknowledged commit was on a replica, and Sentinel promotes the most up-to-date one.
        Assert.Equal(0, result.SessionsLost);
        Assert.Equal(0, result.LostUpdates);
        Assert.Equal(0, result.WrongUser);
        Assert.All(pids, pid => Assert.False(BenchFixture.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
