using System.Diagnostics.Metrics;

namespace Stickless.AspNetCore;

/// <summary>
/// The middleware's instruments, on the meter <c>Stickless</c> (OpenTelemetry semantic-convention names and units):
/// loads, commits, conflicts, store failures (counters), the duration of every store call (histogram, seconds, tagged with
/// operation and store) and the store's circuit state (gauge: 0 closed, 1 open, 2 half-open, 3 isolated).
/// </summary>
internal sealed class SticklessMetrics
{
    public const string MeterName = "Stickless";

    // Boxed once: a tag value is an object, and boxing a bool per load would allocate on every request.
    private static readonly object Found = true;
    private static readonly object NotFound = false;

    private readonly Meter _meter;
    private readonly Counter<long> _loads;
    private readonly Counter<long> _commits;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _storeFailures;
    private readonly Counter<long> _coalesced;
    private readonly Histogram<double> _storeDuration;

    public SticklessMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _loads = _meter.CreateCounter<long>("stickless.session.loads", "{load}", "Sessions loaded from the store (found or not).");
        _commits = _meter.CreateCounter<long>("stickless.session.commits", "{commit}", "Change sets sent to the store.");
        _conflicts = _meter.CreateCounter<long>("stickless.session.conflicts", "{conflict}", "Compare-and-set updates that found another version and retried.");
        _storeFailures = _meter.CreateCounter<long>("stickless.store.failures", "{failure}", "Store calls that failed, timed out or were refused by the open circuit.");
        _coalesced = _meter.CreateCounter<long>("stickless.session.coalesced", "{commit}", "Change sets that went to the store in a call another request of the same session sent (no store call of their own).");
        _storeDuration = _meter.CreateHistogram<double>(
            "stickless.store.duration",
            "s",
            "Duration of one store call.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    public void Loaded(string store, bool found) =>
        _loads.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("found", found ? Found : NotFound));

    public void Committed(string store, CommitStatus status) =>
        _commits.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("status", StatusName(status)));

    public void Conflict(string store) => _conflicts.Add(1, new KeyValuePair<string, object?>("store", store));

    public void Coalesced(string store, int changeSets)
    {
        if (changeSets > 0)
        {
            _coalesced.Add(changeSets, new KeyValuePair<string, object?>("store", store));
        }
    }

    public void StoreFailed(string store, string operation) =>
        _storeFailures.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("operation", operation));

    public void StoreCall(string store, string operation, TimeSpan elapsed)
    {
        if (_storeDuration.Enabled)
        {
            _storeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("store", store));
        }
    }

    /// <summary>Publishes the circuit state of the store's calls as the gauge <c>stickless.store.circuit.state</c>.</summary>
    public void ObserveCircuit(string store, Func<int> state) =>
        _meter.CreateObservableGauge(
            "stickless.store.circuit.state",
            () => new Measurement<int>(state(), new KeyValuePair<string, object?>("store", store)),
            "{state}",
            "The circuit breaker on store calls: 0 closed (calls flow), 1 open (refused), 2 half-open (one probe), 3 isolated.");

    private static string StatusName(CommitStatus status) => status switch
    {
        CommitStatus.Committed => "committed",
        CommitStatus.NotFound => "not_found",
        CommitStatus.Conflict => "conflict",
        CommitStatus.AlreadyExists => "already_exists",
        _ => "unknown",
    };
}
