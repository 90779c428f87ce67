using System.Diagnostics;
using System.Globalization;
using Stickless.Redis.Tests.Infrastructure;
using Stickless.Redis.Tests.Store;
using Xunit.Abstractions;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>
/// Real failovers (one per test), on a deployment of their own; each test first waits for it to be healthy.
/// Nothing is timed against a fixed sleep: the tests wait for Sentinel's own <c>+switch-master</c> event, then
/// for the store's writes to land on the promoted node, each within a generous bound, and print the times.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class SentinelFailoverIntegrationTests(SentinelDeployment deployment, ITestOutputHelper output) : IClassFixture<SentinelDeployment>
{
    // Bounds, not expectations: a loaded 2-core machine may stretch an election several times over.
    private static readonly TimeSpan SwitchBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FollowBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task KillMaster_SessionsWrittenWithWait_SurviveAndWritesResumeOnThePromotedReplica()
    {
        await deployment.WaitUntilHealthyAsync();
        var oldMaster = await deployment.MasterAsync();
        await using var durable = CreateStore(waitForReplicas: 1);
        await using var store = CreateStore(waitForReplicas: 0);
        var ids = Enumerable.Range(0, 20).Select(_ => SessionIds.Create()).ToArray();
        foreach (var id in ids)
        {
            Assert.Equal(CommitStatus.Committed, (await durable.CommitAsync(StoreTestData.Create(id, attributes: [("cart", id[..8])]), CancellationToken.None)).Status);
        }

        var probe = SessionIds.Create();
        Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Create(probe), CancellationToken.None)).Status);
        var since = deployment.Sentinels[0].LogLength;

        await oldMaster.StopAsync(); // SIGKILL
        var clock = Stopwatch.StartNew();
        var switched = deployment.Sentinels[0].WaitForLogAsync("+switch-master", since, SwitchBound);
        var (resumedAfter, failures) = await WriteUntilCommittedAsync(store, probe, "after-kill", clock);
        await switched;
        var newMaster = await deployment.MasterAsync();

        try
        {
            output.WriteLine($"kill-master: writes resumed {resumedAfter.TotalMilliseconds:0} ms after SIGKILL (down-after {SentinelDeployment.DownAfterMs} ms), {failures} calls failed meanwhile");
            Assert.NotEqual(oldMaster.Port, newMaster.Port);
            Assert.Equal("after-kill", await newMaster.CliAsync("HGET", "stickless:{" + probe + "}", "a:step"));
            foreach (var id in ids)
            {
                var loaded = await store.LoadAsync(id, StoreTestData.NoTouch, CancellationToken.None);
                Assert.NotNull(loaded);
                Assert.Equal(id[..8], StoreTestData.Text(loaded.Attributes["cart"]));
            }
        }
        finally
        {
            // Back on its old port as the new master's replica, as an operator would bring it back, so the next
            // test finds a healthy pair.
            await oldMaster.RestartAsync();
            await oldMaster.CliAsync("REPLICAOF", "127.0.0.1", newMaster.Port.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task SentinelFailover_OldMasterDemotedInPlace_StoreWritesOnTheNewMaster()
    {
        // SENTINEL FAILOVER demotes the old master where it stands (same endpoint, now a replica): the client must
        // leave it for the promoted node, not keep writing to the endpoint it knows (StackExchange.Redis #1891).
        await deployment.WaitUntilHealthyAsync();
        var oldMaster = await deployment.MasterAsync();
        await using var store = CreateStore(waitForReplicas: 0);
        var probe = SessionIds.Create();
        Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Create(probe), CancellationToken.None)).Status);
        var since = deployment.Sentinels[0].LogLength;

        Assert.Equal("OK", await deployment.Sentinels[0].CliAsync("SENTINEL", "failover", SentinelDeployment.MasterName));
        await deployment.Sentinels[0].WaitForLogAsync("+switch-master", since, SwitchBound);
        var newMaster = await deployment.MasterAsync();
        Assert.NotEqual(oldMaster.Port, newMaster.Port);

        // From the switch on, a commit must reach the new master: wait until one does (the old master may take a
        // moment to be demoted, and the client to follow), then check that every later one does too.
        var clock = Stopwatch.StartNew();
        var failures = 0;
        while (true)
        {
            var value = "switch-" + clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture);
            try
            {
                if ((await store.CommitAsync(StoreTestData.Set(probe, "step", value), CancellationToken.None)).Status == CommitStatus.Committed
                    && await newMaster.CliAsync("HGET", "stickless:{" + probe + "}", "a:step") == value)
                {
                    break;
                }
            }
            catch (SessionStoreUnavailableException)
            {
                failures++;
            }

            Assert.True(clock.Elapsed < FollowBound, $"No commit reached the new master {newMaster.Port} within {FollowBound}.");
            await Task.Delay(20);
        }

        output.WriteLine($"SENTINEL FAILOVER: commits on the new master {clock.ElapsedMilliseconds} ms after +switch-master, {failures} calls failed meanwhile");
        for (var i = 0; i < 10; i++)
        {
            var value = "after-" + i.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Set(probe, "step", value), CancellationToken.None)).Status);
            Assert.Equal(value, await newMaster.CliAsync("HGET", "stickless:{" + probe + "}", "a:step"));
        }

        Assert.Contains("role:slave", await oldMaster.CliAsync("INFO", "replication"), StringComparison.Ordinal);
    }

    private async Task<(TimeSpan ResumedAfter, int Failures)> WriteUntilCommittedAsync(RedisSessionStore store, string id, string value, Stopwatch clock)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                if ((await store.CommitAsync(StoreTestData.Set(id, "step", value), CancellationToken.None)).Status == CommitStatus.Committed)
                {
                    return (clock.Elapsed, failures);
                }
            }
            catch (SessionStoreUnavailableException)
            {
                failures++;
            }

            Assert.True(clock.Elapsed < SwitchBound + FollowBound, $"Writes did not resume within {SwitchBound + FollowBound}.");
            await Task.Delay(20);
        }
    }

    // 10 s per call: these tests time the failover, not the store's bound, and a loaded machine may take seconds to
    // open the WAIT lanes (StackExchange.Redis's Sentinel connect is synchronous).
    private RedisSessionStore CreateStore(int waitForReplicas) => new(new RedisSessionStoreOptions
    {
        Configuration = deployment.Configuration,
        SweepInterval = TimeSpan.Zero,
        OperationTimeout = TimeSpan.FromSeconds(10),
        WaitForReplicas = waitForReplicas,
        WaitTimeout = TimeSpan.FromMilliseconds(1000),
    });
}
