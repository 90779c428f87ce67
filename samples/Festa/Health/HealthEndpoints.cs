using Stickless;

namespace Festa.Health;

/// <summary><c>GET /healthz</c>: 200 when the session store answers a ping within <see cref="PingTimeout"/>, else 503.</summary>
public static partial class HealthEndpoints
{
    /// <summary>How long the ping may take. Load balancers poll often, so a slow store counts as down.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", CheckAsync);
        return endpoints;
    }

    private static async Task<IResult> CheckAsync(ISessionStore store, NodeIdentity node, HttpContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await store.PingAsync(timeout.Token);
            return TypedResults.Ok(new { status = "ok", store = store.Name, node = node.NameFor(context) });
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnhealthy(loggers.CreateLogger(typeof(HealthEndpoints).FullName!), store.Name, ex);
            return TypedResults.Json(
                new { status = "unavailable", store = store.Name, node = node.NameFor(context) },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(EventId = 10, EventName = "StoreUnhealthy", Level = LogLevel.Warning, Message = "Health check: the {Store} session store did not answer.")]
    private static partial void LogUnhealthy(ILogger logger, string store, Exception exception);
}
