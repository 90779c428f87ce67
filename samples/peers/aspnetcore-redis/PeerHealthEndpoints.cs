using Festa;
using Microsoft.Extensions.Caching.Distributed;

namespace AspNetCoreRedisPeer;

/// <summary><c>GET /healthz</c>: 200 when RedisCache answers a read within <see cref="ReadTimeout"/>, else 503.</summary>
public static partial class PeerHealthEndpoints
{
    /// <summary>How long the read may take (as Festa's ping).</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    private const string ProbeKey = "healthz";

    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapPeerHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", CheckAsync);
        return endpoints;
    }

    private static async Task<IResult> CheckAsync(IDistributedCache cache, NodeIdentity node, HttpContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            // IDistributedCache has no ping: reading a key that is never written is one round trip.
            await cache.GetAsync(ProbeKey, timeout.Token);
            return TypedResults.Ok(new { status = "ok", store = "RedisCache", node = node.NameFor(context) });
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnhealthy(loggers.CreateLogger(typeof(PeerHealthEndpoints).FullName!), ex);
            return TypedResults.Json(new { status = "unavailable", store = "RedisCache", node = node.NameFor(context) }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(EventId = 20, EventName = "PeerStoreUnhealthy", Level = LogLevel.Warning, Message = "Health check: RedisCache did not answer.")]
    private static partial void LogUnhealthy(ILogger logger, Exception exception);
}
