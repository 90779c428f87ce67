using System.Diagnostics.Metrics;

namespace Stickless.Redis;

/// <summary>
/// The Redis store's instruments, on the meter <c>Stickless</c> (the middleware's meter name):
/// <c>stickless.redis.wait_shortfalls</c>, writes that fewer replicas acknowledged than
/// <see cref="RedisSessionStoreOptions.WaitForReplicas"/> asks, tagged with <c>operation</c>
/// (commit, rotation, delete) and <c>policy</c>.
/// </summary>
internal sealed class RedisStoreMetrics
{
    public const string MeterName = "Stickless";

    // Without DI there is no IMeterFactory; one process-wide meter then serves every store.
    private static readonly Meter SharedMeter = new(MeterName);

    private readonly Counter<long> _waitShortfalls;

    public RedisStoreMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? SharedMeter;
        _waitShortfalls = meter.CreateCounter<long>(
            "stickless.redis.wait_shortfalls", "{write}", "Writes acknowledged by fewer replicas than WaitForReplicas within WaitTimeout.");
    }

    public void WaitShortfall(string operation, RedisWaitFailurePolicy policy) =>
        _waitShortfalls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("policy", policy.ToString()));
}
