using System.Collections.Concurrent;

namespace Stickless.Redis.Tests.Store;

/// <summary>Keeps every lifecycle event it is given.</summary>
internal sealed class RecordingObserver : ISessionLifecycleObserver
{
    public ConcurrentQueue<SessionLifecycleEvent> Events { get; } = new();

    public ValueTask OnSessionEventAsync(SessionLifecycleEvent sessionEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(sessionEvent);
        return ValueTask.CompletedTask;
    }

    public Task<bool> WaitForAsync(Func<SessionLifecycleEvent, bool> match, TimeSpan timeout) =>
        StoreTestData.EventuallyAsync(() => Task.FromResult(Events.Any(match)), timeout);
}
