using Microsoft.Extensions.Diagnostics.HealthChecks;
using Stickless.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The session store as a health check.</summary>
public static class SticklessHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that pings the session store through Stickless's own timeout and circuit breaker, reporting its
    /// reachability, latency (<c>latencyMs</c>) and circuit state (<c>circuit</c>) in the result's data.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <c>stickless-store</c>.</param>
    /// <param name="failureStatus">What an unreachable store reports. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <param name="configure">Further settings (the latency that counts as degraded).</param>
    public static IHealthChecksBuilder AddSticklessStore(
        this IHealthChecksBuilder builder,
        string name = "stickless-store",
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        IEnumerable<string>? tags = null,
        Action<SessionStoreHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SessionStoreHealthCheckOptions();
        configure?.Invoke(options);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new SessionStoreHealthCheck(services.GetRequiredService<SessionStoreClient>(), options),
            failureStatus,
            tags));
    }
}
