using System.Collections.Concurrent;

namespace Stickless.Tests;

/// <summary>Keeps every lifecycle event it receives.</summary>
public sealed class RecordingObserver : ISessionLifecycleObserver
{
    private readonly ConcurrentQueue<SessionLifecycleEvent> _events = new();

    public IReadOnlyList<SessionLifecycleEvent> Events => [.. _events];

    public IReadOnlyList<SessionLifecycleEvent> Of(SessionEventKind kind) => [.. _events.Where(e => e.Kind == kind)];

    public ValueTask OnSessionEventAsync(SessionLifecycleEvent sessionEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(sessionEvent);
        return ValueTask.CompletedTask;
    }
}
