using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stickless;

/// <summary>Fans lifecycle events out to every registered <see cref="ISessionLifecycleObserver"/>.</summary>
public sealed partial class SessionEventPublisher
{
    private readonly ISessionLifecycleObserver[] _observers;
    private readonly ILogger _logger;

    /// <summary>Creates a publisher over <paramref name="observers"/>.</summary>
    public SessionEventPublisher(IEnumerable<ISessionLifecycleObserver> observers, ILogger<SessionEventPublisher>? logger = null)
    {
        _observers = observers.ToArray();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>A publisher with no observers.</summary>
    public static SessionEventPublisher None { get; } = new([]);

    /// <summary>True when at least one observer is registered (stores skip building events otherwise).</summary>
    public bool HasObservers => _observers.Length > 0;

    /// <summary>Delivers <paramref name="sessionEvent"/> to every observer; an observer's failure is logged, not thrown.</summary>
    public async ValueTask PublishAsync(SessionLifecycleEvent sessionEvent, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnSessionEventAsync(sessionEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogObserverFailed(_logger, sessionEvent.Kind, observer.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(EventId = 100, EventName = "SessionObserverFailed", Level = LogLevel.Warning, Message = "Session lifecycle observer {Observer} failed on a {Kind} event.")]
    private static partial void LogObserverFailed(ILogger logger, SessionEventKind kind, string observer, Exception exception);
}
