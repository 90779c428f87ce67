using System.Diagnostics;
using System.Globalization;
using Stickless.Redis.Connections;
using Stickless.Redis.Tests.Infrastructure;
using Stickless.Redis.Tests.Store;
using Xunit.Abstractions;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>Real failovers (one per test), on a deployment of their own; each test first waits for it to be healthy.</summary>
[Collection(Stickless.Redis.Tests.Infrastructure.FailoverCollection.Name)]
public sealed class SentinelFailoverIntegrationTests(SentinelDeployment deployment, ITestOutputHelper output) : IClassFixture<SentinelDeployment>
{
    // down-after (1 s) + election and promotion (~1–3 s) + slack for a loaded 2-core machine.
    private static readonly TimeSpan ResumeBound = TimeSpan.FromMilliseconds(SentinelDeployment.DownAfterMs + 5000);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task KillMaster_SessionsWrittenWithWait_SurviveAndWritesResumeOnThePromotedReplica()
    {
        await deployment.WaitUntilHealthyAsync();
        var oldMaster = await deployment.MasterAsync();
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse(deployment.Configuration + ",syncTimeout=1000"));
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions
        {
            Configuration = deployment.Configuration,
            SweepInterval = TimeSpan.Zero,
            WaitForReplicas = 1,
            WaitTimeout = TimeSpan.FromMilliseconds(1000),
        });
        var ids = Enumerable.Range(0, 20).Select(_ => SessionIds.Create()).ToArray();
        foreach (var id in ids)
        {
            Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Create(id, attributes: [("cart", id[..8])]), CancellationToken.None)).Status);
        }
        Assert.Equal(oldMaster.Port, client.ConnectedEndpoint?.Port);

        await oldMaster.StopAsync(); // SIGKILL
        var watch = Stopwatch.StartNew();
        var failures = 0;
        while (true)
        {
            try
            {
                await client.ExecuteAsync("SET", ["sentinel:after-kill", "written"]);
                break;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException && watch.Elapsed < GiveUpAfter)
            {
                failures++;
                await Task.Delay(20);
            }
        }
        var resumedAfter = watch.Elapsed;
        var newMaster = await deployment.MasterAsync();

        try
        {
            output.WriteLine($"kill-master: writes resumed after {resumedAfter.TotalMilliseconds:0} ms (down-after {SentinelDeployment.DownAfterMs} ms), {failures} failed attempts");
            Assert.True(resumedAfter < ResumeBound, $"Writes resumed after {resumedAfter.TotalMilliseconds:0} ms; expected under {ResumeBound.TotalMilliseconds:0} ms.");
            Assert.NotEqual(oldMaster.Port, newMaster.Port);
            Assert.Equal(newMaster.Port, client.ConnectedEndpoint?.Port);
            Assert.Equal("written", await newMaster.CliAsync("GET", "sentinel:after-kill"));
            foreach (var id in ids)
            {
                var loaded = await store.LoadAsync(id, StoreTestData.NoTouch, CancellationToken.None);
                Assert.NotNull(loaded);
                Assert.Equal(id[..8], StoreTestData.Text(loaded.Attributes["cart"]));
            }
        }
        finally
        {
            // Back on its old port as the new master's replica, as an operator would bring it back (Sentinel
            // would demote it too, but only at its next INFO poll), so the next test finds a healthy pair.
            await oldMaster.RestartAsync();
            await oldMaster.CliAsync("REPLICAOF", "127.0.0.1", newMaster.Port.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task ManualFailover_OldMasterBecomesReplica_ClientFollowsTheNewMaster()
    {
        await deployment.WaitUntilHealthyAsync();
        var oldMaster = await deployment.MasterAsync();
        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse(deployment.Configuration + ",syncTimeout=1000"));
        await client.ExecuteAsync("SET", ["sentinel:before-switch", "1"]);

        Assert.Equal("OK", await deployment.Sentinels[0].CliAsync("SENTINEL", "failover", SentinelDeployment.MasterName));
        var watch = Stopwatch.StartNew();
        var failures = 0;
        RedisServer? newMaster = null;
        // Writes may still land on the old master until Sentinel demotes it (Redis's own split-brain window);
        // keep writing until one lands on the promoted replica.
        while (true)
        {
            try
            {
                await client.ExecuteAsync("SET", ["sentinel:after-switch", "written"]);
                if (client.ConnectedEndpoint?.Port is { } port && port != oldMaster.Port)
                {
                    newMaster = deployment.Nodes.Single(n => n.Port == port);
                    break;
                }
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException && watch.Elapsed < GiveUpAfter)
            {
                failures++;
            }
            Assert.True(watch.Elapsed < GiveUpAfter, "The client never reached the promoted replica.");
            await Task.Delay(20);
        }

        output.WriteLine($"manual failover: writes on the new master after {watch.ElapsedMilliseconds} ms, {failures} failed attempts");
        Assert.True(watch.Elapsed < ResumeBound, $"Took {watch.ElapsedMilliseconds} ms.");
        Assert.Equal("written", await newMaster.CliAsync("GET", "sentinel:after-switch"));
        // Sentinel demotes the old master itself, at its next INFO poll (up to ~10 s later); until then a client
        // still connected to it could write there. Stickless follows +switch-master, so it left at once.
        // Demote it now so the next test finds a healthy pair sooner.
        await oldMaster.CliAsync("REPLICAOF", "127.0.0.1", newMaster.Port.ToString(CultureInfo.InvariantCulture));
    }
}
