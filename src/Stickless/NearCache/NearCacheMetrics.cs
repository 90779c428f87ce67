using System.Diagnostics.Metrics;

namespace Stickless;

/// <summary>
/// The near cache's instruments, on the meter <c>Stickless</c>:
/// <list type="bullet">
/// <item><c>stickless.nearcache.lookups</c> ({lookup}): session loads the cache answered (<c>result</c> = <c>hit</c>) or
/// passed to the store (<c>miss</c>, <c>stale</c>, <c>touch_due</c>, <c>expired</c>, <c>bypassed</c>);</item>
/// <item><c>stickless.nearcache.invalidations</c> ({invalidation}): invalidations received from the store;</item>
/// <item><c>stickless.nearcache.evictions</c> ({copy}): copies dropped (<c>reason</c> = <c>invalidated</c>, <c>trimmed</c>,
/// <c>flushed</c>);</item>
/// <item><c>stickless.nearcache.size</c> (By), <c>stickless.nearcache.copies</c> ({copy}) and
/// <c>stickless.nearcache.channel.state</c> (1 up, 0 down): gauges.</item>
/// </list>
/// </summary>
internal sealed class NearCacheMetrics
{
    public const string MeterName = "Stickless";

    // Without DI there is no IMeterFactory; one process-wide meter then serves every cache.
    private static readonly Meter SharedMeter = new(MeterName);

    private static readonly string[] LookupNames = ["hit", "miss", "stale", "touch_due", "expired", "bypassed"];

    private readonly Counter<long> _lookups;
    private readonly Counter<long> _invalidations;
    private readonly Counter<long> _evictions;

    public NearCacheMetrics(IMeterFactory? meterFactory, Func<long> bytes, Func<long> copies, Func<int> channelState)
    {
        var meter = meterFactory?.Create(MeterName) ?? SharedMeter;
        _lookups = meter.CreateCounter<long>("stickless.nearcache.lookups", "{lookup}", "Session loads the near cache answered or passed to the store, by result.");
        _invalidations = meter.CreateCounter<long>("stickless.nearcache.invalidations", "{invalidation}", "Invalidations the near cache received from the store.");
        _evictions = meter.CreateCounter<long>("stickless.nearcache.evictions", "{copy}", "Copies the near cache dropped, by reason.");
        meter.CreateObservableGauge("stickless.nearcache.size", bytes, "By", "Estimated memory held by the near cache's copies.");
        meter.CreateObservableGauge("stickless.nearcache.copies", copies, "{copy}", "Sessions the near cache holds a copy of.");
        meter.CreateObservableGauge("stickless.nearcache.channel.state", channelState, "{state}", "The invalidation channel: 1 up (copies are served), 0 down (bypassed).");
    }

    public void Lookup(NearCacheLookup result)
    {
        if (_lookups.Enabled)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", LookupNames[(int)result]));
        }
    }

    public void Invalidated()
    {
        if (_invalidations.Enabled)
        {
            _invalidations.Add(1);
        }
    }

    public void Evicted(string reason, long count = 1)
    {
        if (_evictions.Enabled && count > 0)
        {
            _evictions.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }
}
