using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Workload;

/// <summary>What <see cref="WorkloadRecorder.WindowStats"/> reports of the requests made while a fault held.</summary>
public sealed class WorkloadRecorderWindowTests
{
    private readonly ManualClock time = new();
    private readonly WorkloadRecorder recorder;

    public WorkloadRecorderWindowTests()
    {
        recorder = new WorkloadRecorder(time, TimeSpan.FromSeconds(30));
        recorder.Start();
    }

    [Fact]
    public void WindowStats_NoFault_IsNull() => Assert.Null(recorder.WindowStats(TimeSpan.Zero, TimeSpan.FromSeconds(1)));

    [Fact]
    public void WindowStats_RequestsInAndAroundTheWindow_CountsThoseStartedInIt()
    {
        time.Set(TimeSpan.FromSeconds(1));
        recorder.MarkFault(recorder.Elapsed);

        // In the window (1 s to 6 s by start time): a slow success, a fail-closed 503 from a node, HAProxy's 503.
        Complete("GET /me", FestaOutcome.Ok, "node1", latencyMs: 600, atMs: 1_700);
        Complete("POST /counter", FestaOutcome.ServerError, "node2", latencyMs: 2_050, atMs: 4_000);
        Complete("GET /wishlist", FestaOutcome.ServerError, null, latencyMs: 1, atMs: 5_000);

        // Not counted: the catalogue never needs the store; and a request started after the heal.
        Complete("GET /events", FestaOutcome.Ok, "node1", latencyMs: 3_000, atMs: 5_500);
        Complete("GET /me", FestaOutcome.Ok, "node3", latencyMs: 5, atMs: 6_100);

        var stats = recorder.WindowStats(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));

        Assert.NotNull(stats);
        Assert.Equal(3, stats.Requests);
        Assert.Equal(2, stats.Errors);
        Assert.Equal(1, stats.ErrorsNotServedByNode);
        Assert.Equal(2_050, stats.LongestNodeFailureMs, precision: 0);
        Assert.Equal("POST /counter", stats.LongestNodeFailureOperation);
        Assert.Equal(2_050, stats.MaxMs, precision: 0);
        Assert.InRange(stats.P99Ms, 2_040, 2_060);
    }

    private void Complete(string operation, FestaOutcome outcome, string? servedBy, int latencyMs, int atMs)
    {
        time.Set(TimeSpan.FromMilliseconds(atMs));
        recorder.RecordRequest(new FestaResponse<object>(operation, outcome, outcome == FestaOutcome.Ok ? 200 : 503, servedBy, TimeSpan.FromMilliseconds(latencyMs), null), 1);
    }

    private sealed class ManualClock : TimeProvider
    {
        private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private DateTimeOffset now = Origin;

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Set(TimeSpan sinceOrigin) => now = Origin + sinceOrigin;
    }
}
