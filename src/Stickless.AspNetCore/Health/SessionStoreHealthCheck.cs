using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Stickless.AspNetCore;

/// <summary>
/// Reports whether the session store answers a ping within the store timeout, how long it took, and the state of the
/// circuit breaker. Healthy when it answers within <see cref="SessionStoreHealthCheckOptions.DegradedLatency"/>, degraded when
/// slower, unhealthy (the registration's failure status) when it fails, times out or the circuit is open.
/// </summary>
internal sealed class SessionStoreHealthCheck(SessionStoreClient store, SessionStoreHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            var data = Data(watch.Elapsed);
            return watch.Elapsed > options.DegradedLatency
                ? HealthCheckResult.Degraded($"The {store.StoreName} session store answered in {watch.Elapsed.TotalMilliseconds:0.0} ms.", data: data)
                : HealthCheckResult.Healthy($"The {store.StoreName} session store answers.", data);
        }
        catch (SessionStoreUnavailableException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The {store.StoreName} session store is unavailable.", ex, Data(watch.Elapsed));
        }
    }

    private Dictionary<string, object> Data(TimeSpan elapsed) => new(StringComparer.Ordinal)
    {
        ["store"] = store.StoreName,
        ["latencyMs"] = Math.Round(elapsed.TotalMilliseconds, 2),
        ["circuit"] = store.CircuitState.ToString(),
    };
}
