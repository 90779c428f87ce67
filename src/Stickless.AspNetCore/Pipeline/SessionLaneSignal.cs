using System.Runtime.ExceptionServices;

namespace Stickless.AspNetCore;

/// <summary>
/// What a waiting <see cref="SessionLaneItem"/> is told: lead this batch (it is its first item), or here is the result
/// another request got for it, or here is the failure of the store call that carried it.
/// </summary>
internal sealed class SessionLaneSignal
{
    private SessionLaneSignal(List<SessionLaneItem>? batch, LaneCommitResult? result, ExceptionDispatchInfo? failure)
    {
        Batch = batch;
        Result = result;
        Failure = failure;
    }

    /// <summary>The batch to send (the waiter leads it), or null.</summary>
    public List<SessionLaneItem>? Batch { get; }

    /// <summary>The waiter's result, sent by another request, or null.</summary>
    public LaneCommitResult? Result { get; }

    /// <summary>The failure of the store call that carried the waiter's change set, or null.</summary>
    public ExceptionDispatchInfo? Failure { get; }

    public static SessionLaneSignal Lead(List<SessionLaneItem> batch) => new(batch, null, null);

    public static SessionLaneSignal Done(LaneCommitResult result) => new(null, result, null);

    public static SessionLaneSignal Failed(Exception failure) => new(null, null, ExceptionDispatchInfo.Capture(failure));
}
