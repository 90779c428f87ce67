using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Workload;

/// <summary>How <see cref="WorkloadRecorder.ResumedAfterFault"/> times the recovery after a fault.</summary>
public sealed class WorkloadRecorderResumeTests
{
    private readonly ManualTime time = new();
    private readonly WorkloadRecorder recorder;

    public WorkloadRecorderResumeTests()
    {
        recorder = new WorkloadRecorder(time, TimeSpan.FromSeconds(30));
        recorder.Start();
    }

    [Fact]
    public void ResumedAfterFault_NoFault_IsNull()
    {
        Complete("GET /me", FestaOutcome.Ok, latencyMs: 5, atMs: 100);

        Assert.Null(recorder.ResumedAfterFault());
    }

    [Fact]
    public void ResumedAfterFault_FailuresThenSuccess_CountsFromTheFaultToTheFirstSuccessStartedAfterTheLastFailure()
    {
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.MarkFault(recorder.Elapsed);
        Complete("GET /me", FestaOutcome.ServerError, latencyMs: 10, atMs: 1_010);

        // Started before the last failure, succeeded late: not yet the recovery.
        Complete("GET /me", FestaOutcome.Ok, latencyMs: 2_000, atMs: 3_000);
        Complete("POST /counter", FestaOutcome.ServerError, latencyMs: 500, atMs: 3_200);
        Complete("GET /wishlist", FestaOutcome.Ok, latencyMs: 100, atMs: 3_500);

        Assert.Equal(TimeSpan.FromMilliseconds(2_500), recorder.ResumedAfterFault());
    }

    [Fact]
    public void ResumedAfterFault_StallWithoutErrors_IsTheFirstSuccessStartedAfterTheFault()
    {
        time.Advance(TimeSpan.FromSeconds(2));
        recorder.MarkFault(recorder.Elapsed);

        // The catalogue never touches the store: it does not tell when the store came back.
        Complete("GET /events", FestaOutcome.Ok, latencyMs: 1, atMs: 2_010);
        Complete("GET /me", FestaOutcome.Ok, latencyMs: 990, atMs: 3_000);

        Assert.Equal(TimeSpan.FromSeconds(1), recorder.ResumedAfterFault());
    }

    [Fact]
    public void ResumedAfterFault_OneUserStalledLonger_IsTheLastUserToBeServedAgain()
    {
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.MarkFault(recorder.Elapsed);

        // User 1 (another shard) never noticed; user 2 failed until its shard's replica took over.
        Complete("GET /me", FestaOutcome.Ok, latencyMs: 5, atMs: 1_100, user: 1);
        Complete("GET /me", FestaOutcome.ServerError, latencyMs: 2_000, atMs: 3_100, user: 2);
        Complete("GET /me", FestaOutcome.Ok, latencyMs: 400, atMs: 4_000, user: 2);
        Complete("GET /me", FestaOutcome.Ok, latencyMs: 5, atMs: 4_200, user: 1);

        Assert.Equal(TimeSpan.FromSeconds(3), recorder.ResumedAfterFault());
    }

    [Fact]
    public void ResumedAfterFault_NothingSucceededAfterTheLastFailure_IsNull()
    {
        recorder.MarkFault(recorder.Elapsed);
        Complete("GET /me", FestaOutcome.Timeout, latencyMs: 5_000, atMs: 5_000);

        Assert.Null(recorder.ResumedAfterFault());
    }

    private void Complete(string operation, FestaOutcome outcome, int latencyMs, int atMs, int user = 1)
    {
        time.Set(TimeSpan.FromMilliseconds(atMs));
        recorder.RecordRequest(new FestaResponse<object>(operation, outcome, 200, "node1", TimeSpan.FromMilliseconds(latencyMs), null), user);
    }

    private sealed class ManualTime : TimeProvider
    {
        private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private DateTimeOffset now = Origin;

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => now += by;

        /// <summary>Sets the clock to <paramref name="sinceOrigin"/> after the first reading (the recorder's start).</summary>
        public void Set(TimeSpan sinceOrigin) => now = Origin + sinceOrigin;
    }
}
