using System.Globalization;
using Stickless.Lab.Deployment;

namespace Stickless.Lab.Workload;

/// <summary>
/// The focused workloads (<see cref="WorkloadKind.Read"/>, <see cref="WorkloadKind.Write"/>, <see cref="WorkloadKind.Contended"/>):
/// <see cref="WorkloadOptions.Connections"/> connections, each sending one request after another as fast as answers come,
/// on sessions made in the warm-up. Sessions lost are answers that show a session gone (401 on a signed-in session, a
/// counter back at 1); lost increments come from the answers and a final read: each session's counter must have grown
/// by every increment answered 200.
/// </summary>
internal sealed class SessionLoadRunner : IWorkloadRun
{
    private readonly Uri frontend;
    private readonly WorkloadOptions options;
    private readonly TimeProvider time;
    private readonly SessionLoadClient[] clients;
    private readonly LatencyHistogram[] latencies;
    private readonly List<LoadSession> sessions = [];
    private long conflicts;

    /// <summary>Creates the connections; nothing is sent yet.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks for the mixed workload.</exception>
    public SessionLoadRunner(Uri frontend, WorkloadOptions options, TimeProvider time, LiveBenchCounters? live = null)
    {
        if (options.Kind == WorkloadKind.Mixed)
        {
            throw new ArgumentException("the mixed workload runs in WorkloadRunner", nameof(options));
        }

        this.frontend = frontend;
        this.options = options;
        this.time = time;
        Recorder = new WorkloadRecorder(time, options.Duration + options.RequestTimeout + TimeSpan.FromSeconds(5), live);
        clients = [.. Enumerable.Range(0, options.Connections).Select(_ => new SessionLoadClient(frontend, options, time))];
        latencies = [.. Enumerable.Range(0, options.Connections).Select(_ => new LatencyHistogram())];
    }

    /// <inheritdoc/>
    public WorkloadRecorder Recorder { get; }

    /// <summary>The sessions the run uses (after <see cref="WarmUpAsync"/>).</summary>
    public IReadOnlyList<LoadSession> Sessions => sessions;

    /// <summary>Makes the sessions: a signed-in user per connection (read), <see cref="WorkloadOptions.Sessions"/> anonymous counters (write), or one (contended).</summary>
    public async Task<int> WarmUpAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.WarmUpTimeout);
        var wanted = options.Kind switch
        {
            WorkloadKind.Read or WorkloadKind.Baseline => options.Connections,
            WorkloadKind.Write => options.Sessions,
            _ => 1,
        };
        var made = new LoadSession?[wanted];
        try
        {
            // A few at a time: sign-ups hash passwords, and a burst of them would only queue on the nodes.
            await Parallel.ForEachAsync(Enumerable.Range(0, wanted), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = timeout.Token },
                async (i, token) => made[i] = await MakeSessionAsync(clients[i % clients.Length], i, token).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Sessions not made by now are left out.
        }

        sessions.AddRange(made.OfType<LoadSession>());
        return sessions.Count;
    }

    /// <inheritdoc/>
    public async Task<WorkloadResult> RunAsync(CancellationToken ct)
    {
        if (sessions.Count == 0)
        {
            throw new LabException($"no session could be made for the {options.Kind.Name()} workload through {frontend}.");
        }

        Recorder.Start();
        var duration = options.Duration;
        bool KeepGoing() => Recorder.Elapsed < duration;
        using var deadline = new CancellationTokenSource(duration + options.RequestTimeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, clients.Length).Select(i => WorkAsync(i, KeepGoing, stop.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Interrupted, or requests still hanging past the end: report what was measured.
        }

        var elapsed = Recorder.Elapsed;
        long? acknowledged = null;
        if (options.Kind is not (WorkloadKind.Read or WorkloadKind.Baseline))
        {
            acknowledged = sessions.Sum(static s => s.Acknowledged);
            Recorder.RecordVerdict(new ShadowVerdict(0, 0, (int)Math.Min(int.MaxValue, await CountLostIncrementsAsync(ct).ConfigureAwait(false))));
        }

        var latency = new LatencyHistogram();
        foreach (var histogram in latencies)
        {
            latency.Add(histogram);
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
            sessions.Count,
            sessions.Count,
            0)
        {
            Latency = latency,
            Conflicts = Interlocked.Read(ref conflicts),
            AcknowledgedWrites = acknowledged,
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private async Task<LoadSession?> MakeSessionAsync(SessionLoadClient client, int index, CancellationToken ct)
    {
        if (options.Kind is WorkloadKind.Read or WorkloadKind.Baseline)
        {
            var username = string.Create(CultureInfo.InvariantCulture, $"u{options.RunId}-{index}");
            var signUp = await client.SignUpAsync(username, options.Password, ct).ConfigureAwait(false);
            if (signUp.Outcome != FestaOutcome.Ok && signUp.StatusCode != 409)
            {
                return null;
            }

            var session = new LoadSession(username);
            var login = await client.LogInAsync(session, username, options.Password, ct).ConfigureAwait(false);
            return login.Outcome == FestaOutcome.Ok ? session : null;
        }

        var counter = new LoadSession();
        var first = await client.IncrementCounterAsync(counter, ct).ConfigureAwait(false);
        if (first.Outcome != FestaOutcome.Ok || first.Value < 1)
        {
            return null;
        }

        counter.ResetCounter(first.Value);
        return counter;
    }

    private async Task WorkAsync(int index, Func<bool> keepGoing, CancellationToken ct)
    {
        var client = clients[index];
        var latency = latencies[index];
        var random = new Random(HashCode.Combine(options.Seed, index));
        while (keepGoing() && !ct.IsCancellationRequested)
        {
            var session = options.Kind switch
            {
                WorkloadKind.Read or WorkloadKind.Baseline => sessions[index % sessions.Count],
                WorkloadKind.Write => sessions[random.Next(sessions.Count)],
                _ => sessions[0],
            };
            var indeterminate = options.Kind switch
            {
                WorkloadKind.Read => await ReadAsync(client, session, index, latency, ct).ConfigureAwait(false),
                WorkloadKind.Baseline => await BaselineAsync(client, session, index, latency, ct).ConfigureAwait(false),
                _ => await IncrementAsync(client, session, index, latency, ct).ConfigureAwait(false),
            };

            // Only a failure without an answer backs off; a 409 is an answer, and is sent again at once.
            if (indeterminate && keepGoing())
            {
                await Task.Delay(options.ErrorBackoff, time, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ReadAsync(SessionLoadClient client, LoadSession session, int index, LatencyHistogram latency, CancellationToken ct)
    {
        var me = await client.GetMeAsync(session, ct).ConfigureAwait(false);
        Observe(me, index, latency);
        switch (me.Outcome)
        {
            case FestaOutcome.Ok when !string.Equals(me.Value, session.Username, StringComparison.Ordinal):
                Recorder.RecordWrongUser();
                return false;
            case FestaOutcome.Unauthorized:
                // The session is gone: count it, sign in again (the new cookie replaces the old one) and go on.
                Recorder.RecordVerdict(new ShadowVerdict(SessionsLost: 1, StaleReads: 0, LostUpdates: 0));
                var login = await client.LogInAsync(session, session.Username!, options.Password, ct).ConfigureAwait(false);
                Observe(login, index, latency);
                return login.IsIndeterminate;
            default:
                return me.IsIndeterminate;
        }
    }

    private async Task<bool> BaselineAsync(SessionLoadClient client, LoadSession session, int index, LatencyHistogram latency, CancellationToken ct)
    {
        var answer = await client.GetBaselineAsync(session, ct).ConfigureAwait(false);
        Observe(answer, index, latency);
        return answer.IsIndeterminate;
    }

    private async Task<bool> IncrementAsync(SessionLoadClient client, LoadSession session, int index, LatencyHistogram latency, CancellationToken ct)
    {
        var write = await client.IncrementCounterAsync(session, ct).ConfigureAwait(false);
        Observe(write, index, latency);
        if (write.Outcome == FestaOutcome.Ok && write.Value >= 1 && session.Acknowledge(write.Value))
        {
            Recorder.RecordVerdict(new ShadowVerdict(SessionsLost: 1, StaleReads: 0, LostUpdates: 0));
        }

        if (write.StatusCode == 409)
        {
            Interlocked.Increment(ref conflicts);
        }

        return write.IsIndeterminate;
    }

    private async Task<long> CountLostIncrementsAsync(CancellationToken ct)
    {
        // After the run, one more increment per session (not counted as a request of the run): its answer minus one is
        // what the counter held.
        long lost = 0;
        foreach (var session in sessions)
        {
            var final = await clients[0].IncrementCounterAsync(session, ct).ConfigureAwait(false);
            if (final.Outcome == FestaOutcome.Ok && final.Value >= 1)
            {
                lost += session.LostIncrements(final.Value);
            }
        }

        return lost;
    }

    private void Observe<T>(FestaResponse<T> response, int index, LatencyHistogram latency)
    {
        if (Recorder.IsStarted)
        {
            latency.Record(response.Latency);
        }

        Recorder.RecordRequest(response, index + 1);
    }
}
