using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Redis;
using Stickless.Lab.Deployment.Strategies;
using Stickless.Lab.Processes;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>The redis-ha servers as real processes: a master, two replicas, three sentinels (no Festa).</summary>
[Collection(BenchFixture.Collection)]
public sealed class RedisHaStrategyTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StartServicesAsync_RedisHa_SentinelsAgreeOnTheMasterAndDownLeavesNothing()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var strategy = new RedisHaStrategy();
        var harness = await RedisServicesHarness.StartAsync(strategy, timeout.Token);
        var labDirectory = harness.LabDirectory;
        IReadOnlyList<PidFileRecord> records;
        await using (harness)
        {
            Assert.Equal(["redis1", "redis2", "redis3", "sentinel1", "sentinel2", "sentinel3"], harness.Services.Select(s => s.Name));
            var masterPort = harness.Services[0].Port;
            foreach (var sentinel in harness.Services.Where(s => s.Name.StartsWith("sentinel", StringComparison.Ordinal)))
            {
                var address = Assert.IsType<object?[]>(await RedisLabClient.ExecuteAsync(sentinel.Port, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", RedisHaStrategy.MasterName], timeout.Token));
                Assert.Equal(masterPort.ToString(System.Globalization.CultureInfo.InvariantCulture), address[1]);
            }

            var master = await strategy.FindMasterAsync(harness.Services, timeout.Token);
            Assert.Equal("redis1", master.Service.Name);
            var replication = await RedisInfo.ReadAsync(masterPort, "replication", timeout.Token);
            Assert.Equal("2", replication["connected_slaves"]);
            Assert.Equal("1", (await RedisLabClient.ExecuteAsync(masterPort, ["CONFIG", "GET", "min-replicas-to-write"], timeout.Token) as object?[])?[1]);
            Assert.Null(await strategy.FindSuccessorAsync(harness.Services, master, timeout.Token));
            Assert.Equal(0, await strategy.CountStoredSessionsAsync(harness.Context, timeout.Token));
            Assert.Contains(
                new KeyValuePair<string, string>("Stickless:Redis:Configuration", string.Join(',', harness.Services.Skip(3).Select(s => s.Endpoint)) + ",serviceName=mymaster"),
                strategy.NodeConfiguration(harness.Context, new LabNodePlan(1, "node1", 1)));
            records = harness.Records;
            Assert.Equal(6, records.Count);
        }

        Assert.Empty(LabLeftovers.Records(labDirectory));
        await LabLeftovers.AssertNothingLeftAsync(labDirectory, records, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task KillMaster_RedisHa_SentinelsPromoteAReplicaWithinDownAfterPlusThreeSeconds()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var strategy = new RedisHaStrategy();
        await using var harness = await RedisServicesHarness.StartAsync(strategy, timeout.Token);
        var master = await strategy.FindMasterAsync(harness.Services, timeout.Token);

        var killedAt = TimeProvider.System.GetTimestamp();
        await master.Service.KillAsync();
        var (successor, elapsed) = await FailoverWatch.WaitAsync(strategy, harness.Services, master, killedAt, TimeSpan.FromSeconds(20), TimeProvider.System, timeout.Token);

        Assert.NotNull(successor);
        Assert.Contains(successor.Name, new[] { "redis2", "redis3" });
        Assert.True(elapsed < strategy.DownAfter + TimeSpan.FromSeconds(3), $"failover took {elapsed}");
        Assert.True(await RedisInfo.IsMasterAsync(successor.Port, timeout.Token));

        // The new master keeps the other replica, so min-replicas-to-write 1 still lets it write.
        await Readiness.WaitAsync(successor.Process, "taking writes", async ct =>
        {
            try
            {
                return await RedisLabClient.ExecuteAsync(successor.Port, ["SET", "probe", "1"], ct) is "OK";
            }
            catch (IOException exception) when (exception.Message.Contains("NOREPLICAS", StringComparison.Ordinal))
            {
                return false;
            }
        }, timeout.Token);
    }

    [Fact]
    public async Task PauseMaster_ShorterThanDownAfter_NobodyFailsOver()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var strategy = new RedisHaStrategy();
        await using var harness = await RedisServicesHarness.StartAsync(strategy, timeout.Token);
        var master = await strategy.FindMasterAsync(harness.Services, timeout.Token);

        var pausedAt = TimeProvider.System.GetTimestamp();
        await master.Service.PauseAsync();
        await Task.Delay(PauseMasterFault.PauseFor(strategy.DownAfter), timeout.Token);
        await master.Service.ResumeAsync();
        var (successor, _) = await FailoverWatch.WaitAsync(strategy, harness.Services, master, pausedAt, strategy.DownAfter + TimeSpan.FromSeconds(1), TimeProvider.System, timeout.Token);

        Assert.Null(successor);
        Assert.Equal("PONG", await RedisLabClient.ExecuteAsync(master.Service.Port, ["PING"], timeout.Token));
    }
}
