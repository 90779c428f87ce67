namespace Stickless.AspNetCore;

/// <summary>Settings of the session store health check (<c>AddSticklessStore</c>).</summary>
public sealed class SessionStoreHealthCheckOptions
{
    /// <summary>A ping slower than this reports <c>Degraded</c>. Default 250 ms.</summary>
    public TimeSpan DegradedLatency { get; set; } = TimeSpan.FromMilliseconds(250);
}
