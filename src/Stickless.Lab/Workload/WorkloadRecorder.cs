using System.Collections.Concurrent;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Workload;

/// <summary>
/// The thread-safe counters every virtual user reports into: totals, a per-second time series, and
/// which node served how many requests. Read while the run goes on (progress, dashboard).
/// </summary>
internal sealed class WorkloadRecorder
{
    private readonly TimeProvider _time;
    private readonly LiveBenchCounters? _live;
    private readonly long[] _requests;
    private readonly long[] _errors;
    private readonly long[] _sessionsLost;
    private readonly ConcurrentDictionary<string, long> _servedBy = new(StringComparer.Ordinal);
    private long _started;
    private long _totalRequests;
    private long _totalErrors;
    private long _totalSessionsLost;
    private long _totalStaleReads;
    private long _totalLostUpdates;
    private long _totalWrongUser;

    /// <summary>Creates a recorder whose time series can hold <paramref name="capacity"/>.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="capacity">The longest run the time series can hold (later requests go to its last second).</param>
    /// <param name="live">The dashboard's counters, fed request by request; null for none.</param>
    public WorkloadRecorder(TimeProvider time, TimeSpan capacity, LiveBenchCounters? live = null)
    {
        _time = time;
        _live = live;
        var slots = (int)Math.Ceiling(capacity.TotalSeconds) + 1;
        _requests = new long[slots];
        _errors = new long[slots];
        _sessionsLost = new long[slots];
    }

    /// <summary>True once <see cref="Start"/> was called.</summary>
    public bool IsStarted => Volatile.Read(ref _started) != 0;

    /// <summary>Time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => IsStarted ? _time.GetElapsedTime(Volatile.Read(ref _started)) : TimeSpan.Zero;

    /// <summary>Starts the clock: requests recorded before are not counted.</summary>
    public void Start() => Volatile.Write(ref _started, _time.GetTimestamp());

    /// <summary>Records one completed request.</summary>
    public void RecordRequest<T>(FestaResponse<T> response)
    {
        var error = response.IsError;
        var servedBy = response.ServedBy;
        if (!IsStarted)
        {
            return;
        }

        var slot = Slot();
        Interlocked.Increment(ref _requests[slot]);
        Interlocked.Increment(ref _totalRequests);
        if (error)
        {
            Interlocked.Increment(ref _errors[slot]);
            Interlocked.Increment(ref _totalErrors);
        }

        if (servedBy is not null)
        {
            _servedBy.AddOrUpdate(servedBy, 1, static (_, n) => n + 1);
        }

        var outcome = error ? LiveOutcome.Error
            : response.Outcome == FestaOutcome.Unauthorized ? LiveOutcome.SignedOut
            : LiveOutcome.Ok;
        _live?.RecordRequest(servedBy, response.Latency, outcome, response.Operation);
    }

    /// <summary>Adds what the shadow model found.</summary>
    public void RecordVerdict(ShadowVerdict verdict)
    {
        if (!IsStarted || verdict.IsClean)
        {
            return;
        }

        if (verdict.SessionsLost > 0)
        {
            Interlocked.Add(ref _sessionsLost[Slot()], verdict.SessionsLost);
            Interlocked.Add(ref _totalSessionsLost, verdict.SessionsLost);
        }

        Interlocked.Add(ref _totalStaleReads, verdict.StaleReads);
        Interlocked.Add(ref _totalLostUpdates, verdict.LostUpdates);
        if (_live is not null)
        {
            _live.AddSessionsLost(verdict.SessionsLost);
            _live.AddStaleReads(verdict.StaleReads);
            _live.AddLostUpdates(verdict.LostUpdates);
        }
    }

    /// <summary>Records an answer that carried another user's name: the worst failure a session layer can have.</summary>
    public void RecordWrongUser()
    {
        if (IsStarted)
        {
            Interlocked.Increment(ref _totalWrongUser);
        }
    }

    /// <summary>The counters now.</summary>
    public WorkloadTotals Snapshot() => new(
        Elapsed,
        Interlocked.Read(ref _totalRequests),
        Interlocked.Read(ref _totalErrors),
        Interlocked.Read(ref _totalSessionsLost),
        Interlocked.Read(ref _totalStaleReads),
        Interlocked.Read(ref _totalLostUpdates),
        Interlocked.Read(ref _totalWrongUser));

    /// <summary>Requests per node name (the <c>X-Served-By</c> header).</summary>
    public IReadOnlyDictionary<string, long> ServedBy() =>
        new SortedDictionary<string, long>(_servedBy, StringComparer.Ordinal);

    /// <summary>The per-second series for the first <paramref name="seconds"/> seconds.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries(int seconds)
    {
        var count = Math.Clamp(seconds, 0, _requests.Length);
        var points = new TimeSeriesPoint[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = new TimeSeriesPoint(
                i,
                Interlocked.Read(ref _requests[i]),
                Interlocked.Read(ref _errors[i]),
                Interlocked.Read(ref _sessionsLost[i]));
        }

        return points;
    }

    private int Slot() => Math.Clamp((int)Elapsed.TotalSeconds, 0, _requests.Length - 1);
}
