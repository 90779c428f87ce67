namespace Stickless;

/// <summary>
/// Receives session lifecycle events. Register implementations in dependency injection; the store's
/// <see cref="SessionEventPublisher"/> calls each one.
/// </summary>
/// <remarks>
/// Delivery is at most once per node that observes the event; an observer that throws is logged and
/// does not stop the others.
/// </remarks>
public interface ISessionLifecycleObserver
{
    /// <summary>Handles one event.</summary>
    ValueTask OnSessionEventAsync(SessionLifecycleEvent sessionEvent, CancellationToken cancellationToken);
}
