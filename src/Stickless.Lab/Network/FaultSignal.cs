namespace Stickless.Lab.Network;

/// <summary>
/// Wakes everything waiting on a link's faults when they change. Take <see cref="Next"/> before reading the faults, then
/// await it: a change between the two completes it, so no change is missed.
/// </summary>
internal sealed class FaultSignal
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Raise"/>.</summary>
    public Task Next => Volatile.Read(ref next).Task;

    /// <summary>Wakes every waiter; later waiters wait for the next change.</summary>
    public void Raise() =>
        Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
