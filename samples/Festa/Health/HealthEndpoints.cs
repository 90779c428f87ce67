using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Festa.Health;

/// <summary>
/// <c>GET /healthz</c>: Stickless's store health check (a ping through its timeout and circuit breaker). 200
/// <c>{"status":"ok","store","node","latencyMs","circuit"}</c> when the node can reach its session store (degraded counts as
/// reachable), else 503 with <c>"status":"unavailable"</c>. It never touches a session.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Adds the store check; call it with the other service registrations.</summary>
    public static IServiceCollection AddFestaHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddSticklessStore(configure: options => options.DegradedLatency = TimeSpan.FromMilliseconds(250));
        return services;
    }

    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        }).WithoutSession();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var node = context.RequestServices.GetRequiredService<NodeIdentity>().NameFor(context);
        var store = report.Entries.Values.FirstOrDefault();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
            store = store.Data.TryGetValue("store", out var name) ? name : null,
            node,
            latencyMs = store.Data.TryGetValue("latencyMs", out var latency) ? latency : null,
            circuit = store.Data.TryGetValue("circuit", out var circuit) ? circuit : null,
        }, JsonSerializerOptions.Web));
    }
}
