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
    private long _faultAtTicks = -1;
    private readonly ConcurrentQueue<RequestSpan> _sinceFault = new();
    private int _sinceFaultCount;

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

    /// <summary>The most requests kept after a fault for <see cref="ResumedAfterFault"/> (far more than a bounded run makes).</summary>
    internal const int MaxSpansSinceFault = 1_000_000;

    /// <summary>Notes the moment a fault struck (time since <see cref="Start"/>): from then on, requests are kept to time the recovery.</summary>
    public void MarkFault(TimeSpan at) => Interlocked.Exchange(ref _faultAtTicks, at.Ticks);

    /// <summary>
    /// Forgets the requests kept since the last fault, so that a run with a fault after another (the soak) keeps only
    /// the current fault's: <see cref="ResumedAfterFault"/> and <see cref="WindowStats"/> then speak of it alone, and
    /// memory stays bounded by one fault's window.
    /// </summary>
    public void ForgetRequestsSinceFault()
    {
        _sinceFault.Clear();
        Interlocked.Exchange(ref _sinceFaultCount, 0);
    }

    /// <summary>
    /// How long after the fault every user was served again: for each user, the completion of its first successful
    /// request that started after its last failed one (and after the fault); the latest of these, counted from the
    /// fault. Per user, so that a fault that stalls only some sessions (one shard of a cluster) is not hidden by the
    /// users it spared. Only requests that need the session store count (<c>GET /events</c> never touches it).
    /// Null without a fault, or when some user that made requests after it never succeeded again.
    /// </summary>
    public TimeSpan? ResumedAfterFault()
    {
        var faultTicks = Interlocked.Read(ref _faultAtTicks);
        if (faultTicks < 0)
        {
            return null;
        }

        var faultAt = TimeSpan.FromTicks(faultTicks);
        var latest = TimeSpan.Zero;
        foreach (var user in _sinceFault.ToArray().GroupBy(static s => s.User))
        {
            var threshold = user.Where(static s => s.Failed).Select(static s => s.Start).DefaultIfEmpty(faultAt).Max();
            if (threshold < faultAt)
            {
                threshold = faultAt;
            }

            var resumed = user.Where(s => !s.Failed && s.Start >= threshold).Select(static s => s.End).DefaultIfEmpty(TimeSpan.MinValue).Min();
            if (resumed == TimeSpan.MinValue)
            {
                return null;
            }

            latest = resumed - faultAt > latest ? resumed - faultAt : latest;
        }

        return latest;
    }

    /// <summary>Records one completed request of user number <paramref name="user"/>.</summary>
    public void RecordRequest<T>(FestaResponse<T> response, int user = 0)
    {
        var error = response.IsError;
        var servedBy = response.ServedBy;
        if (!IsStarted)
        {
            return;
        }

        RecordSinceFault(user, response.Operation, response.Latency, error, servedBy is not null);

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

    /// <summary>
    /// The requests that need the session store and started in [<paramref name="from"/>, <paramref name="to"/>) (times
    /// since <see cref="Start"/>, the window starting no earlier than the fault): how many, how many failed, their p99,
    /// and the longest failure a node answered. Null without a fault.
    /// </summary>
    public FaultWindowStats? WindowStats(TimeSpan from, TimeSpan to)
    {
        if (Interlocked.Read(ref _faultAtTicks) < 0)
        {
            return null;
        }

        var latency = new LatencyHistogram();
        long requests = 0, errors = 0, notServed = 0;
        var longest = TimeSpan.Zero;
        var longestFailure = TimeSpan.Zero;
        string? longestFailureOperation = null;
        foreach (var span in _sinceFault.ToArray())
        {
            if (span.Start < from || span.Start >= to)
            {
                continue;
            }

            var elapsed = span.End - span.Start;
            requests++;
            latency.Record(elapsed);
            longest = elapsed > longest ? elapsed : longest;
            if (!span.Failed)
            {
                continue;
            }

            errors++;
            if (!span.ServedByNode)
            {
                notServed++;
            }
            else if (elapsed > longestFailure)
            {
                longestFailure = elapsed;
                longestFailureOperation = span.Operation;
            }
        }

        return new FaultWindowStats(to - from, requests, errors, notServed, latency.PercentileMs(99), longest.TotalMilliseconds, longestFailure.TotalMilliseconds)
        {
            LongestNodeFailureOperation = longestFailureOperation,
            P50Ms = latency.PercentileMs(50),
        };
    }

    private void RecordSinceFault(int user, string operation, TimeSpan latency, bool failed, bool servedByNode)
    {
        var faultTicks = Interlocked.Read(ref _faultAtTicks);
        if (faultTicks < 0 || operation == "GET /events")
        {
            return;
        }

        var end = Elapsed;
        if (end.Ticks >= faultTicks && Interlocked.Increment(ref _sinceFaultCount) <= MaxSpansSinceFault)
        {
            _sinceFault.Enqueue(new RequestSpan(user, operation, end - latency, end, failed, servedByNode));
        }
    }

    private int Slot() => Math.Clamp((int)Elapsed.TotalSeconds, 0, _requests.Length - 1);

    /// <summary>A request completed after the fault: whose, what, when it started and ended (since <see cref="Start"/>), whether it failed, and whether a node answered it (not HAProxy).</summary>
    private readonly record struct RequestSpan(int User, string Operation, TimeSpan Start, TimeSpan End, bool Failed, bool ServedByNode);
}
