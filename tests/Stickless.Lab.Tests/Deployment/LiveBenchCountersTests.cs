using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Deployment;

public sealed class LiveBenchCountersTests
{
    [Fact]
    public void Snapshot_AfterRequests_CountsPercentilesNodesAndRecent()
    {
        var time = new ManualTime();
        var counters = new LiveBenchCounters(time);
        counters.Begin("bench test");
        for (var i = 1; i <= 100; i++)
        {
            counters.RecordRequest(i % 2 == 0 ? "node1" : "node2", TimeSpan.FromMilliseconds(i), i == 100 ? LiveOutcome.Error : LiveOutcome.Ok, "GET /me");
        }

        counters.AddSessionsLost(3);
        counters.AddLostUpdates();
        time.Advance(TimeSpan.FromSeconds(1));

        var snapshot = counters.Snapshot();

        Assert.True(snapshot.Running);
        Assert.Equal(100, snapshot.Requests);
        Assert.Equal(1, snapshot.Errors);
        Assert.Equal(3, snapshot.SessionsLost);
        Assert.Equal(1, snapshot.LostUpdates);
        Assert.Equal(0, snapshot.StaleReads);
        Assert.Equal(50, snapshot.P50Ms);
        Assert.Equal(99, snapshot.P99Ms);
        Assert.Equal(100, snapshot.Rps);
        Assert.Equal(50, snapshot.ServedBy["node1"]);
        Assert.Equal(30, snapshot.Recent.Count);
    }

    [Fact]
    public void Snapshot_IdleSeconds_RateFallsToZero()
    {
        var time = new ManualTime();
        var counters = new LiveBenchCounters(time);
        counters.Begin("idle");
        counters.RecordRequest("node1", TimeSpan.FromMilliseconds(1));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, counters.Snapshot().Rps);
    }

    [Fact]
    public void Begin_AfterARun_ResetsTheFigures()
    {
        var counters = new LiveBenchCounters(new ManualTime());
        counters.Begin("one");
        counters.RecordRequest("node1", TimeSpan.FromMilliseconds(1));
        counters.AddStaleReads();
        counters.End();

        counters.Begin("two");
        var snapshot = counters.Snapshot();

        Assert.Equal("two", snapshot.Label);
        Assert.Equal(0, snapshot.Requests);
        Assert.Equal(0, snapshot.StaleReads);
        Assert.Empty(snapshot.ServedBy);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => now += by;
    }
}
