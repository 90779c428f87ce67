using System.Diagnostics.Metrics;

namespace Stickless.Redis;

/// <summary>
/// The Redis store's instruments, on the meter <c>Stickless</c> (the middleware's meter name):
/// <list type="bullet">
/// <item><c>stickless.redis.wait.shortfalls</c> ({write}): writes that fewer replicas acknowledged than
/// <see cref="RedisSessionStoreOptions.WaitForReplicas"/> asks, tagged <c>stickless.operation</c> (commit,
/// rotation, delete) and <c>stickless.redis.wait_policy</c>;</item>
/// <item><c>stickless.redis.wait.duration</c> (s): how long a write with <c>WAIT</c> took, script and WAIT together;</item>
/// <item><c>stickless.redis.retries</c> ({retry}): commands sent again because Redis provably had not run them (no
/// master during a failover, READONLY, LOADING…), tagged <c>db.operation.name</c>.</item>
/// </list>
/// </summary>
internal sealed class RedisStoreMetrics
{
    public const string MeterName = "Stickless";

    // Without DI there is no IMeterFactory; one process-wide meter then serves every store.
    private static readonly Meter SharedMeter = new(MeterName);

    private readonly Counter<long> _waitShortfalls;
    private readonly Histogram<double> _waitDuration;
    private readonly Counter<long> _retries;

    public RedisStoreMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? SharedMeter;
        _waitShortfalls = meter.CreateCounter<long>(
            "stickless.redis.wait.shortfalls", "{write}", "Writes acknowledged by fewer replicas than WaitForReplicas within WaitTimeout.");
        _waitDuration = meter.CreateHistogram<double>(
            "stickless.redis.wait.duration", "s", "Duration of a write that waits for replicas (the script and WAIT together).");
        _retries = meter.CreateCounter<long>(
            "stickless.redis.retries", "{retry}", "Commands sent again because Redis provably had not run them.");
    }

    public void WaitShortfall(string operation, RedisWaitFailurePolicy policy) =>
        _waitShortfalls.Add(1, new KeyValuePair<string, object?>("stickless.operation", operation), new KeyValuePair<string, object?>("stickless.redis.wait_policy", policy.ToString()));

    public void Waited(TimeSpan duration) => _waitDuration.Record(duration.TotalSeconds);

    public void Retried(string operation) => _retries.Add(1, new KeyValuePair<string, object?>("db.operation.name", operation));
}
