namespace Stickless.Lab.Processes;

/// <summary>
/// Samples the resident memory, threads and open descriptors of named processes (a deployment's nodes, its servers)
/// from /proc at a fixed interval while a run goes on, following a process that is restarted under the same name. Its
/// memory is bounded: at most <see cref="MaxSamplesPerProcess"/> samples per name (an hour at one a second).
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    /// <summary>The most samples kept per name; later ones are dropped.</summary>
    public const int MaxSamplesPerProcess = 3600;

    private readonly IReadOnlyList<(string Name, Func<int> Pid)> targets;
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private readonly Dictionary<string, List<ProcessSample>> samples = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    private long started;

    /// <summary>Creates a sampler; nothing is read before <see cref="Start"/>.</summary>
    /// <param name="targets">Each process by name, and how to find its current pid (0 or a dead pid: skipped).</param>
    /// <param name="interval">Time between samples; default 1 s.</param>
    /// <param name="time">The clock; default the system's.</param>
    public ProcessSampler(IReadOnlyList<(string Name, Func<int> Pid)> targets, TimeSpan? interval = null, TimeProvider? time = null)
    {
        this.targets = targets;
        this.interval = interval ?? TimeSpan.FromSeconds(1);
        this.time = time ?? TimeProvider.System;
        foreach (var (name, _) in targets)
        {
            samples[name] = [];
        }
    }

    /// <summary>Starts sampling, with a first sample at once.</summary>
    public void Start()
    {
        started = time.GetTimestamp();
        SampleOnce();
        loop = RunAsync(stop.Token);
    }

    /// <summary>Takes one more sample of every process now (the run's last), and stops.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        SampleOnce();
    }

    /// <summary>The samples so far, by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ProcessSample>> Samples()
    {
        lock (gate)
        {
            return samples.ToDictionary(static p => p.Key, static p => (IReadOnlyList<ProcessSample>)[.. p.Value], StringComparer.Ordinal);
        }
    }

    /// <summary>Every process's trends (<see cref="ProcessUsage.Of"/>), by name, in the order given.</summary>
    public IReadOnlyList<ProcessUsage> Summarize(UsageTolerance tolerance)
    {
        var all = Samples();
        return [.. targets.Select(t => ProcessUsage.Of(t.Name, all[t.Name], tolerance))];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                SampleOnce();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private void SampleOnce()
    {
        var seconds = Math.Round(time.GetElapsedTime(started).TotalSeconds, 3);
        foreach (var (name, pidOf) in targets)
        {
            var pid = pidOf();
            if (pid <= 0 || !ProcFs.TryReadUsage(pid, out var resident, out var threads, out var handles))
            {
                continue;
            }

            lock (gate)
            {
                var list = samples[name];
                if (list.Count < MaxSamplesPerProcess)
                {
                    list.Add(new ProcessSample(seconds, pid, resident, threads, handles));
                }
            }
        }
    }
}
