using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>A short real chaos run on memcached-backup: Festa nodes behind HAProxy, the fullest memcached SIGKILLed part-way.</summary>
[Collection(BenchFixture.Collection)]
public sealed class MemcachedChaosTests
{
    private readonly BenchFixture _fixture;

    public MemcachedChaosTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunAsync_KillStoreNodeOnMemcachedBackup_BackupsServeAndNothingIsLost()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var log = new LabTestLog();
        var pids = new List<int>();
        var plan = new RunPlan(
            "memcached-backup",
            2,
            _fixture.Paths.RunDirectory("chaos-test-memcached-backup"),
            new WorkloadOptions { Users = 8, Duration = TimeSpan.FromSeconds(10), WarmUpTimeout = TimeSpan.FromSeconds(45) },
            new FaultPlan(new KillStoreNodeFault(), At: 0.3))
        {
            Paths = _fixture.Paths,
            DeploymentStarted = d => pids.AddRange(BenchProcessTests.AllPids(d)),
        };

        var result = await new BenchRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(plan, timeout.Token);

        Assert.Equal("kill-store-node", result.Fault);
        Assert.StartsWith("memcached", result.FaultTarget, StringComparison.Ordinal);
        Assert.False(result.FaultTargetAliveAtEnd, log.ToString());

        // Every session had a copy on the next node. A request in flight on the dead server's connection may fail (and
        // Festa answers a failed load of /me with 401), so at most a user or two may be counted; never an update.
        Assert.True(result.UsersLosingSessions <= 2, $"{result.UsersLosingSessions} users lost their session\n{log}");
        Assert.Equal(0, result.LostUpdates);
        Assert.Equal(0, result.WrongUser);
        Assert.True(result.StoreRoundTripsPerRequest is > 0 and < 5, $"store round trips per request {result.StoreRoundTripsPerRequest}");
        Assert.All(pids, pid => Assert.False(BenchFixture.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
