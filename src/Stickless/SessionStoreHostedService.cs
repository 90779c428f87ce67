using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stickless;

/// <summary>Creates the selected store as the host starts and runs its background work (<see cref="ISessionStoreLifecycle"/>) for as long as the host runs.</summary>
internal sealed partial class SessionStoreHostedService(ISessionStore store, ILogger<SessionStoreHostedService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is ISessionStoreLifecycle lifecycle)
        {
            try
            {
                await lifecycle.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogStartFailed(_logger, store.Name, ex);
                throw;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (store is ISessionStoreLifecycle lifecycle)
        {
            try
            {
                await lifecycle.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Stopping must not keep the host from stopping; the failure is logged.
                LogStopFailed(_logger, store.Name, ex);
            }
        }
    }

    [LoggerMessage(EventId = 110, EventName = "StoreStartFailed", Level = LogLevel.Error, Message = "The {Store} session store's background work failed to start.")]
    private static partial void LogStartFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 111, EventName = "StoreStopFailed", Level = LogLevel.Warning, Message = "The {Store} session store's background work failed to stop cleanly.")]
    private static partial void LogStopFailed(ILogger logger, string store, Exception exception);
}
