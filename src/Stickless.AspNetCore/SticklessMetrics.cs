using System.Diagnostics.Metrics;

namespace Stickless.AspNetCore;

/// <summary>
/// The middleware's instruments, on the meter <c>Stickless</c>: loads, commits, conflicts, store failures
/// (counters) and the duration of every store call (histogram, milliseconds, tagged with operation and store).
/// </summary>
internal sealed class SticklessMetrics
{
    public const string MeterName = "Stickless";

    // Boxed once: a tag value is an object, and boxing a bool per load would allocate on every request.
    private static readonly object Found = true;
    private static readonly object NotFound = false;

    private readonly Counter<long> _loads;
    private readonly Counter<long> _commits;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _storeFailures;
    private readonly Histogram<double> _storeDuration;

    public SticklessMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _loads = meter.CreateCounter<long>("stickless.session.loads", "{load}", "Sessions loaded from the store (found or not).");
        _commits = meter.CreateCounter<long>("stickless.session.commits", "{commit}", "Change sets sent to the store.");
        _conflicts = meter.CreateCounter<long>("stickless.session.conflicts", "{conflict}", "Compare-and-set updates that found another version and retried.");
        _storeFailures = meter.CreateCounter<long>("stickless.session.store_failures", "{failure}", "Store calls that failed or timed out.");
        _storeDuration = meter.CreateHistogram<double>("stickless.store.duration", "ms", "Duration of one store call.");
    }

    public void Loaded(string store, bool found) =>
        _loads.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("found", found ? Found : NotFound));

    public void Committed(string store, CommitStatus status) =>
        _commits.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("status", StatusName(status)));

    public void Conflict(string store) => _conflicts.Add(1, new KeyValuePair<string, object?>("store", store));

    public void StoreFailed(string store, string operation) =>
        _storeFailures.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("operation", operation));

    public void StoreCall(string store, string operation, TimeSpan elapsed)
    {
        if (_storeDuration.Enabled)
        {
            _storeDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("store", store));
        }
    }

    private static string StatusName(CommitStatus status) => status switch
    {
        CommitStatus.Committed => "committed",
        CommitStatus.NotFound => "not_found",
        CommitStatus.Conflict => "conflict",
        CommitStatus.AlreadyExists => "already_exists",
        _ => "unknown",
    };
}
