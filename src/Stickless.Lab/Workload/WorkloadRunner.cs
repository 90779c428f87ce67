using Stickless.Lab.Deployment;

namespace Stickless.Lab.Workload;

/// <summary>
/// Drives <see cref="WorkloadOptions.Users"/> virtual users through a front end: a warm-up
/// (sign-up, catalogue, sign-in), then the measured, bounded run.
/// </summary>
internal sealed class WorkloadRunner : IWorkloadRun
{
    private readonly WorkloadOptions _options;
    private readonly TimeProvider _time;
    private readonly VirtualUser[] _users;

    /// <summary>Creates the users; nothing is sent yet.</summary>
    /// <param name="frontend">The load balancer every request goes through.</param>
    /// <param name="options">The users and the run.</param>
    /// <param name="time">The clock.</param>
    /// <param name="live">The dashboard's counters to feed; null for none.</param>
    public WorkloadRunner(Uri frontend, WorkloadOptions options, TimeProvider time, LiveBenchCounters? live = null)
    {
        _options = options;
        _time = time;

        // Room for the run, the requests still in flight when it ends, and a margin.
        Recorder = new WorkloadRecorder(time, options.Duration + options.RequestTimeout + TimeSpan.FromSeconds(5), live);
        _users = [.. Enumerable.Range(1, options.Users).Select(i => new VirtualUser(i, frontend, options, Recorder, time))];
    }

    /// <summary>The live counters (progress, dashboard, fault targeting).</summary>
    public WorkloadRecorder Recorder { get; }

    /// <summary>Signs every user up and in, all at once; bounded by <see cref="WorkloadOptions.WarmUpTimeout"/>.</summary>
    /// <returns>The number of users signed in.</returns>
    public async Task<int> WarmUpAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.WarmUpTimeout);
        try
        {
            await Task.WhenAll(_users.Select(u => u.WarmUpAsync(timeout.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Users not signed in by now sign in during the run.
        }

        return _users.Count(static u => u.SignedIn);
    }

    /// <summary>How many times each user has lost its session so far, by user (a run with several faults diffs two of these).</summary>
    public IReadOnlyList<int> SessionsLostPerUser() => [.. _users.Select(static u => u.SessionsLost)];

    /// <summary>Users signed in now.</summary>
    public int SignedInUsers() => _users.Count(static u => u.SignedIn);

    /// <summary>Signed-in users per node that last served them as signed in.</summary>
    public IReadOnlyDictionary<string, int> SignedInUsersByNode() =>
        _users.Where(static u => u.SignedIn && u.HomeNode is not null)
            .GroupBy(static u => u.HomeNode!, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Runs the measured part for <see cref="WorkloadOptions.Duration"/>; stops by itself: no request
    /// starts after the duration, and those still in flight one request timeout later are cancelled.
    /// </summary>
    public async Task<WorkloadResult> RunAsync(CancellationToken ct)
    {
        var signedInAtStart = _users.Count(static u => u.SignedIn);
        Recorder.Start();
        var duration = _options.Duration;
        bool KeepGoing() => Recorder.Elapsed < duration;

        using var deadline = new CancellationTokenSource(duration + _options.RequestTimeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await Task.WhenAll(_users.Select(u => u.RunAsync(KeepGoing, stop.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted, or requests still hanging past the end: report what was measured.
        }

        var elapsed = Recorder.Elapsed;
        var latency = new LatencyHistogram();
        foreach (var user in _users)
        {
            latency.Add(user.Latency);
        }

        var seconds = (int)Math.Ceiling(Math.Min(elapsed.TotalSeconds, duration.TotalSeconds));
        var series = Recorder.TimeSeries(seconds);
        var totals = Recorder.Snapshot() with { Elapsed = elapsed < duration ? elapsed : duration };
        return new WorkloadResult(
            totals,
            latency.PercentileMs(50),
            latency.PercentileMs(99),
            TimeSeriesPoint.CountUnavailable(series),
            series,
            Recorder.ServedBy(),
            signedInAtStart,
            _users.Count(static u => u.SignedIn),
            _users.Count(static u => u.SessionsLost > 0),
            Recorder.ResumedAfterFault())
        {
            Latency = latency,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var user in _users)
        {
            user.Dispose();
        }
    }
}
