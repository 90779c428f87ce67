using System.Diagnostics;
using Stickless.Redis.Tests.Store;
using Xunit.Abstractions;

namespace Stickless.Redis.Tests.Sentinel;

/// <summary>
/// WAIT blocks the connection it is sent on until the replicas answer or its timeout passes. The store sends it on
/// connections of its own (the WAIT lanes), so reads on the main connection never queue behind it: measured here with
/// the replica frozen, every write waiting its whole WaitTimeout, and reads going on meanwhile.
/// </summary>
[Collection(SentinelSteadyCollection.Name)]
public sealed class SentinelWaitLaneIntegrationTests(SentinelDeployment deployment, ITestOutputHelper output)
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMilliseconds(1000);

    [Fact]
    public async Task LoadAsync_WhileWritesWaitForAFrozenReplica_ReadsDoNotQueueBehindWait()
    {
        await deployment.WaitUntilHealthyAsync();
        await using var store = new RedisSessionStore(new RedisSessionStoreOptions
        {
            Configuration = deployment.Configuration,
            SweepInterval = TimeSpan.Zero,
            OperationTimeout = TimeSpan.FromSeconds(5),
            WaitForReplicas = 1,
            WaitTimeout = WaitTimeout,
            WaitFailurePolicy = RedisWaitFailurePolicy.AcceptAndCount,
        });
        var ids = Enumerable.Range(0, 8).Select(_ => SessionIds.Create()).ToArray();
        foreach (var id in ids)
        {
            Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Create(id), CancellationToken.None)).Status); // every lane opened and used
        }

        var master = await deployment.MasterAsync();
        var replica = deployment.Nodes.Single(n => n != master);
        var writes = new List<TimeSpan>();
        var reads = new List<TimeSpan>();
        replica.Pause();
        try
        {
            using var stop = new CancellationTokenSource();
            var writers = ids.Select(id => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var watch = Stopwatch.StartNew();
                    Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(StoreTestData.Set(id, "n", "1"), CancellationToken.None)).Status);
                    lock (writes)
                    {
                        writes.Add(watch.Elapsed);
                    }
                }
            })).ToArray();
            var reader = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var watch = Stopwatch.StartNew();
                    Assert.NotNull(await store.LoadAsync(ids[0], StoreTestData.NoTouch, CancellationToken.None));
                    reads.Add(watch.Elapsed);
                    await Task.Delay(10);
                }
            });

            await Task.Delay(WaitTimeout * 4);
            await stop.CancelAsync();
            await Task.WhenAll([.. writers, reader]);
        }
        finally
        {
            replica.Resume();
        }

        var sortedReads = reads.Order().ToArray();
        var p50 = sortedReads[sortedReads.Length / 2];
        var p99 = sortedReads[(int)(sortedReads.Length * 0.99)];
        output.WriteLine($"while {writes.Count} writes each waited {writes.Min().TotalMilliseconds:0}-{writes.Max().TotalMilliseconds:0} ms for the frozen replica, {reads.Count} reads took p50 {p50.TotalMilliseconds:0.0} ms, p99 {p99.TotalMilliseconds:0.0} ms, max {sortedReads[^1].TotalMilliseconds:0.0} ms");
        Assert.All(writes, w => Assert.True(w >= WaitTimeout - TimeSpan.FromMilliseconds(50), $"a write took {w.TotalMilliseconds:0} ms: it did not wait"));
        // Behind a WAIT, a read would take up to the whole WaitTimeout; on its own connection it takes a round trip.
        Assert.True(p99 < WaitTimeout / 2, $"reads p99 {p99.TotalMilliseconds:0} ms: they queued behind WAIT");
        Assert.True(reads.Count > 20, $"only {reads.Count} reads in {WaitTimeout.TotalSeconds * 4} s");
        await deployment.WaitUntilHealthyAsync();
    }
}
