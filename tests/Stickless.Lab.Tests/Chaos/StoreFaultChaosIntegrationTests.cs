using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Chaos;

/// <summary>
/// Short real chaos runs of the store faults on the redis strategy: two Festa nodes behind HAProxy, one redis-server,
/// fault proxies on the store links where the fault needs them.
/// </summary>
[Collection(BenchFixture.Collection)]
public sealed class StoreFaultChaosIntegrationTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(180);
    private readonly BenchFixture fixture;

    public StoreFaultChaosIntegrationTests(BenchFixture fixture) => this.fixture = fixture;

    [Fact]
    public async Task RunAsync_SlowStoreBelowTheTimeout_NoErrorAndTheP99WhileItHoldsCarriesTheLatency()
    {
        var fault = StoreLinkFault.SlowStore(new FaultSettings { Latency = TimeSpan.FromMilliseconds(300), HoldFor = TimeSpan.FromSeconds(4) });

        var (result, log) = await RunAsync(fault, persistence: null);

        Assert.Equal("slow-store", result.Fault);
        Assert.True(result.StoreLinksProxied, log);
        Assert.Equal(2, result.LinksHit);
        Assert.InRange(result.FaultHeldSeconds ?? 0, 4, 8);
        Assert.True(result.RequestsDuringFault > 0, log);

        // Every store call waits 300 ms more, well inside the 2 s store timeout: slower, and most requests still
        // succeed. Only a stall of the shared machine can push a call past the timeout, and then the node's 503 came
        // after the full timeout, never because of the latency alone. (Its health checks give the store 1 s, so a
        // loaded machine may also take a node out of HAProxy for a while: those 503s are HAProxy's.)
        Assert.True(result.P99DuringFaultMs >= 300, Describe(result) + log);
        Assert.True(result.ErrorsDuringFault * 2 < result.RequestsDuringFault, Describe(result) + log);
        Assert.True(result.LongestNodeFailureMs is 0 or >= 2_000, Describe(result) + log);
        AssertNothingLost(result, log);
    }

    [Fact]
    public async Task RunAsync_BlackholeStoreOnOneNode_FailClosedAnswersAreBoundedByTheStoreTimeout()
    {
        var fault = StoreLinkFault.BlackholeStore(new FaultSettings { HoldFor = TimeSpan.FromSeconds(4), Nodes = 1 });

        var (result, log) = await RunAsync(fault, persistence: null);

        Assert.Equal(1, result.LinksHit);
        Assert.Equal("node1→redis", result.FaultTarget);
        Assert.True(result.RequestsDuringFault > 0, log);

        // A request makes at most two store calls (load, commit), each bounded by the 2 s store timeout; the rest is
        // what a shared machine adds. No request of the black-holed node hangs beyond that.
        Assert.InRange(result.LongestNodeFailureMs ?? 0, 0, (2 * 2_000) + 2_000);
        Assert.True(result.ServedBy.GetValueOrDefault("node2") > 0, log);
        AssertNothingLost(result, log);
    }

    [Fact]
    public async Task RunAsync_RestartStoreWithoutPersistence_EverySignedInUserLosesTheSession()
    {
        var (result, log) = await RunAsync(new RestartStoreFault(), RedisPersistence.None);

        Assert.Equal("restart-store", result.Fault);
        Assert.Equal("none", result.Persistence);
        Assert.True(result.StoreLinksProxied);
        Assert.True(result.FaultTargetAliveAtEnd, log);
        Assert.True(result.StoreRestartSeconds > 0, log);
        Assert.True(result.StoredSessionsBeforeFault > 0, log);
        Assert.Equal(0, result.StoredSessionsAfterFault);

        // The restarted server is empty: each signed-in user is answered as anonymous once, signs in again, and goes on.
        Assert.Equal(result.SignedInUsersAtFault, result.UsersLosingSessions);
        Assert.Equal(0, result.WrongUser);
    }

    [Fact]
    public async Task RunAsync_RestartStoreWithAofAlways_LosesNoSessionAndNoAcknowledgedUpdate()
    {
        var (result, log) = await RunAsync(new RestartStoreFault(), RedisPersistence.AofAlways);

        Assert.Equal("aof-always", result.Persistence);
        Assert.True(result.StoredSessionsAfterFault > 0, log);
        Assert.True(result.StoredSessionsAfterFault >= result.StoredSessionsBeforeFault, log);
        AssertNothingLost(result, log);
    }

    private static string Describe(RunResult result) =>
        System.Text.Json.JsonSerializer.Serialize(result with { TimeSeries = [] }) + "\n"
        + string.Join(" ", result.TimeSeries.Select(static p => $"{p.Second}:{p.Requests}/{p.Errors}")) + "\n";

    private static void AssertNothingLost(RunResult result, string log)
    {
        Assert.True(result.SessionsLost == 0, $"sessions lost: {result.SessionsLost}\n{log}");
        Assert.True(result.LostUpdates == 0, $"lost updates: {result.LostUpdates}\n{log}");
        Assert.Equal(0, result.WrongUser);
    }

    private async Task<(RunResult Result, string Log)> RunAsync(IFault fault, RedisPersistence? persistence)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var log = new LabTestLog();
        var pids = new List<int>();
        var plan = new RunPlan(
            "redis",
            2,
            fixture.Paths.RunDirectory("chaos-test-" + fault.Name),
            new WorkloadOptions { Users = 8, Duration = TimeSpan.FromSeconds(12), WarmUpTimeout = TimeSpan.FromSeconds(45) },
            new FaultPlan(fault, At: 0.25))
        {
            Paths = fixture.Paths,
            Persistence = persistence,
            DeploymentStarted = d => pids.AddRange(BenchProcessTests.AllPids(d)),
        };

        var result = await new BenchRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(plan, timeout.Token);

        Assert.All(pids, pid => Assert.False(BenchFixture.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(fixture.LeftoverPidFiles());
        return (result, log.ToString());
    }
}
