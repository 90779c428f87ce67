using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stickless.Redis.Tests.Infrastructure;
using Stickless.Redis.Tests.Store;
using Xunit.Abstractions;

namespace Stickless.Redis.Tests.Sentinel;

[Collection(SentinelSteadyCollection.Name)]
public sealed class SentinelStoreWaitIntegrationTests(SentinelDeployment deployment, ITestOutputHelper output)
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task CommitAsync_WaitForReplicasReplicaUp_CommitsAndTheReplicaHasIt()
    {
        await WarmUpAsync(SessionIds.Create());
        await using var store = CreateStore(RedisWaitFailurePolicy.FailRequest);
        var id = SessionIds.Create();

        var result = await store.CommitAsync(StoreTestData.Create(id, attributes: [("cart", "1")]), CancellationToken.None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        // WAIT 1 answered 1: the replica had the write before the commit returned.
        Assert.Equal("1", await (await ReplicaAsync()).CliAsync("EXISTS", "stickless:{" + id + "}"));
    }

    [Fact]
    public async Task CommitAsync_ReplicaPausedUnderFailRequest_ThrowsUnavailableAfterWaitTimeout()
    {
        var id = SessionIds.Create();
        await WarmUpAsync(id);
        await using var store = CreateStore(RedisWaitFailurePolicy.FailRequest);
        await ConnectAsync(store, id);
        var replica = await ReplicaAsync();

        replica.Pause();
        var watch = Stopwatch.StartNew();
        try
        {
            var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () =>
                await store.CommitAsync(StoreTestData.Set(id, "cart", "2"), CancellationToken.None));
            watch.Stop();
            Assert.Contains("0 of 1 replicas", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            replica.Resume();
        }

        output.WriteLine($"FailRequest answered after {watch.ElapsedMilliseconds} ms (WaitTimeout {WaitTimeout.TotalMilliseconds} ms)");
        Assert.InRange(watch.Elapsed, WaitTimeout - TimeSpan.FromMilliseconds(20), WaitTimeout + TimeSpan.FromSeconds(1.5));
        // The master applied the write all the same: WAIT cannot undo it.
        Assert.Equal("2", await (await deployment.MasterAsync()).CliAsync("HGET", "stickless:{" + id + "}", "a:cart"));
        await deployment.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task CommitAsync_ReplicaPausedUnderAcceptAndCount_CommitsAndCountsTheShortfall()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        long shortfalls = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "stickless.redis.wait.shortfalls" && ReferenceEquals(instrument.Meter.Scope, meterFactory)) { l.EnableMeasurementEvents(instrument); }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref shortfalls, value));
        listener.Start();
        var id = SessionIds.Create();
        await WarmUpAsync(id);
        await using var store = CreateStore(RedisWaitFailurePolicy.AcceptAndCount, meterFactory);
        await ConnectAsync(store, id);
        var replica = await ReplicaAsync();

        replica.Pause();
        CommitResult result;
        var watch = Stopwatch.StartNew();
        try
        {
            result = await store.CommitAsync(StoreTestData.Set(id, "cart", "2"), CancellationToken.None);
            watch.Stop();
        }
        finally
        {
            replica.Resume();
        }

        output.WriteLine($"AcceptAndCount answered after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(1, Interlocked.Read(ref shortfalls));
        Assert.InRange(watch.Elapsed, WaitTimeout - TimeSpan.FromMilliseconds(20), WaitTimeout + TimeSpan.FromSeconds(1.5));
        await deployment.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task AddRedis_SentinelConfigurationWithWaitSettings_StoreWorksAndBindsThem()
    {
        // What Festa does with Stickless:Redis:Configuration=<sentinels>,serviceName=mymaster.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stickless:Store"] = "Redis",
            ["Stickless:Redis:Configuration"] = deployment.Configuration,
            ["Stickless:Redis:WaitForReplicas"] = "1",
            ["Stickless:Redis:WaitTimeout"] = "00:00:00.400",
            ["Stickless:Redis:WaitFailurePolicy"] = "AcceptAndCount",
        }).Build();
        await using var services = new ServiceCollection()
            .AddSticklessCore(configuration.GetSection("Stickless"))
            .AddRedis(o => o.SweepInterval = TimeSpan.Zero)
            .Services.BuildServiceProvider();
        var store = Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());
        var id = SessionIds.Create();

        var result = await store.CommitAsync(StoreTestData.Create(id, attributes: [("cart", "festa")]), CancellationToken.None);
        var loaded = await store.LoadAsync(id, StoreTestData.NoTouch, CancellationToken.None);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal("festa", StoreTestData.Text(loaded!.Attributes["cart"]));
        Assert.Equal("1", await (await ReplicaAsync()).CliAsync("EXISTS", "stickless:{" + id + "}"));
    }

    /// <summary>
    /// Creates session <paramref name="id"/> through a store that waits long for its replica. After an earlier
    /// test paused the replica it may still be catching up; one acknowledged write proves replication flows
    /// again before a test measures a 300 ms WAIT.
    /// </summary>
    private async Task WarmUpAsync(string id)
    {
        await deployment.WaitUntilHealthyAsync();
        await using var patient = new RedisSessionStore(new RedisSessionStoreOptions
        {
            Configuration = deployment.Configuration,
            SweepInterval = TimeSpan.Zero,
            OperationTimeout = TimeSpan.FromSeconds(10),
            WaitForReplicas = 1,
            WaitTimeout = TimeSpan.FromSeconds(8),
            WaitFailurePolicy = RedisWaitFailurePolicy.FailRequest,
        });
        Assert.Equal(CommitStatus.Committed, (await patient.CommitAsync(StoreTestData.Create(id), CancellationToken.None)).Status);
    }

    /// <summary>
    /// One write through <paramref name="store"/> while the replica answers, so that its connections (the main one
    /// and every WAIT lane) are open before a test pauses the replica: StackExchange.Redis's connect waits for every
    /// node, so a connection first opened while a replica hangs takes the whole connect timeout (see the README).
    /// </summary>
    private static async Task ConnectAsync(RedisSessionStore store, string id)
    {
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Set(id, "warm", "1"), CancellationToken.None)).Status);
        }
    }

    private RedisSessionStore CreateStore(RedisWaitFailurePolicy policy, IMeterFactory? meterFactory = null) => new(
        new RedisSessionStoreOptions
        {
            Configuration = deployment.Configuration,
            SweepInterval = TimeSpan.Zero,
            OperationTimeout = TimeSpan.FromSeconds(5), // opening the WAIT lanes may take seconds on a loaded machine
            WaitForReplicas = 1,
            WaitTimeout = WaitTimeout,
            WaitFailurePolicy = policy,
        },
        meterFactory: meterFactory);

    private async Task<RedisServer> ReplicaAsync()
    {
        var master = await deployment.MasterAsync();
        return deployment.Nodes.Single(n => n != master);
    }
}
