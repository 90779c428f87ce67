using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

/// <summary>
/// Requests of one session on one node go through one commit lane: compare-and-set updates never collide with each other,
/// and concurrent operations share store calls.
/// </summary>
public sealed class SessionCommitPipelineTests
{
    private static async Task Handler(HttpContext context)
    {
        var session = context.GetSticklessSession();
        var path = context.Request.Path.Value!;
        if (path.StartsWith("/add/", StringComparison.Ordinal))
        {
            // Every request has loaded the session before any of them commits: all snapshots are stale but the first.
            if (context.RequestServices.GetService<AsyncBarrier>() is { } barrier)
            {
                await barrier.SignalAndWaitAsync();
            }

            var item = path["/add/".Length..];
            var list = await session.UpdateAsync<List<string>>("wishlist", current => [.. current ?? [], item]);
            await context.Response.WriteAsync(list.Count.ToString(CultureInfo.InvariantCulture));
        }
        else if (path == "/inc")
        {
            await context.Response.WriteAsync((await session.IncrementAsync("counter")).ToString(CultureInfo.InvariantCulture));
        }
        else if (path == "/inc-note")
        {
            // "note" holds text: an increment of it is refused by the store.
            await session.IncrementAsync("note");
        }
        else if (path.StartsWith("/set/", StringComparison.Ordinal))
        {
            session.Set(path["/set/".Length..], true);
        }
        else if (path == "/start")
        {
            session.Set("note", "text");
            session.Set("counter", 0);
        }
        else
        {
            await context.Response.WriteAsync($"{session.Get<List<string>>("wishlist")?.Count ?? 0};{session.Get<long>("counter")};{string.Join(',', session.Keys.Order(StringComparer.Ordinal))}");
        }
    }

    [Fact]
    public async Task UpdateAsync_ThirtyConcurrentOnOneNode_OneCommitEachAndNoConflict()
    {
        var barrier = new AsyncBarrier(30);
        await using var app = await TestApp.StartAsync(Handler, options: new TestAppOptions { Services = s => s.AddSingleton(barrier) });
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");
        app.Counting!.Reset();

        var counts = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => CopyOf(app, first).GetStringAsync($"/add/item{i}")));

        Assert.Equal(Enumerable.Range(1, 30), counts.Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Order());
        Assert.Equal(30, app.Counting.Commits); // no retry: each update built on the node's latest commit
        Assert.StartsWith("30;", await first.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_ThirtyConcurrentWithCoalescingOff_Conflict()
    {
        // The same race without the lane: the stale snapshots collide and retry (what the lane removes).
        var barrier = new AsyncBarrier(30);
        await using var app = await TestApp.StartAsync(Handler, o => o.CoalesceCommits = false, new TestAppOptions { Services = s => s.AddSingleton(barrier) });
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");
        app.Counting!.Reset();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => CopyOf(app, first).GetStringAsync($"/add/item{i}")));

        Assert.True(app.Counting.Commits > 30, $"{app.Counting.Commits} commits");
        Assert.StartsWith("30;", await first.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementAsync_TwentyWaitingBehindOneCommit_OneStoreCallEachValueOnce()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");
        var id = first.Cookie!;
        var store = app.Counting!;
        store.Reset();

        // The first increment holds the lane in the store; twenty more queue behind it.
        store.CommitGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = CopyOf(app, first).GetStringAsync("/inc");
        await store.CommitAtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = Enumerable.Range(0, 20).Select(_ => CopyOf(app, first).GetStringAsync("/inc")).ToArray();
        await WaitUntilAsync(() => Pipeline(app).WaitingIn(id) == 20);
        var gate = store.CommitGate;
        store.CommitGate = null;
        gate.SetResult();

        var values = await Task.WhenAll([held, .. queued]);

        Assert.Equal(Enumerable.Range(1, 21), values.Select(v => int.Parse(v, CultureInfo.InvariantCulture)).Order());
        Assert.Equal(2, store.Commits); // the held one, then the twenty in one call
        var merged = store.ChangeSets[1];
        Assert.Equal(20, merged.Attributes["counter"].Delta);
        Assert.StartsWith("0;21;", await first.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinalCommits_WaitingTogether_DifferentAttributesInOneStoreCall()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");
        var id = first.Cookie!;
        var store = app.Counting!;
        store.Reset();
        store.CommitGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = CopyOf(app, first).GetAsync("/set/a0");
        await store.CommitAtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = Enumerable.Range(1, 10).Select(i => CopyOf(app, first).GetAsync($"/set/a{i}")).ToArray();
        await WaitUntilAsync(() => Pipeline(app).WaitingIn(id) == 10);
        var gate = store.CommitGate;
        store.CommitGate = null;
        gate.SetResult();

        foreach (var response in await Task.WhenAll([held, .. queued]))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, store.Commits);
        var keys = (await first.GetStringAsync("/")).Split(';')[2].Split(',');
        Assert.Equal(13, keys.Length); // a0..a10, counter, note
    }

    [Fact]
    public async Task MergedCall_OneOperationRefused_OnlyThatRequestFails()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");
        var id = first.Cookie!;
        var store = app.Counting!;
        store.CommitGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = CopyOf(app, first).GetAsync("/inc");
        await store.CommitAtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var good = CopyOf(app, first).GetAsync("/inc");
        var bad = CopyOf(app, first).GetAsync("/inc-note");
        var alsoGood = CopyOf(app, first).GetAsync("/set/x");
        await WaitUntilAsync(() => Pipeline(app).WaitingIn(id) == 3);
        var gate = store.CommitGate;
        store.CommitGate = null;
        gate.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await good).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad); // the test server hands the handler's exception to the client
        Assert.Equal(HttpStatusCode.OK, (await alsoGood).StatusCode);
        Assert.Equal("0;2;counter,note,x", await first.GetStringAsync("/"));
    }

    [Fact]
    public async Task QueuedBehindAHungCommit_FailsClosedWithinTheStoreTimeout()
    {
        await using var app = await TestApp.StartAsync(Handler, o => o.StoreTimeout = TimeSpan.FromMilliseconds(500));
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");
        var id = first.Cookie!;
        var store = app.Counting!;
        store.CommitGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // never opened
        var held = CopyOf(app, first).GetAsync("/inc");
        await store.CommitAtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = CopyOf(app, first).GetAsync("/inc");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await held.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await queued.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        store.CommitGate.SetResult();
    }

    [Fact]
    public async Task Lanes_AfterTheRequests_AreReleased()
    {
        await using var app = await TestApp.StartAsync(Handler);
        var first = app.NewSessionClient();
        await first.GetStringAsync("/start");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => CopyOf(app, first).GetStringAsync("/inc")));

        await WaitUntilAsync(() => Pipeline(app).LaneCount == 0);
    }

    private static SessionCommitPipeline Pipeline(TestApp app) => app.Services.GetRequiredService<SessionCommitPipeline>();

    private static SessionClient CopyOf(TestApp app, SessionClient client)
    {
        var copy = app.NewSessionClient();
        copy.Cookie = client.Cookie;
        return copy;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");

            // The requests run on the server's threads; there is no event for "queued" to wait on from here.
            await Task.Delay(10);
        }
    }

    /// <summary>Releases everyone once <c>participants</c> have arrived, without blocking threads.</summary>
    private sealed class AsyncBarrier(int participants)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task SignalAndWaitAsync()
        {
            if (Interlocked.Increment(ref _arrived) == participants)
            {
                _all.SetResult();
            }

            return _all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
