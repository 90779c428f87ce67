namespace Stickless.Lab.Processes;

/// <summary>
/// Starts the lab's processes, each with a pid file in one folder, and stops every one of them at the end.
/// </summary>
internal sealed class ProcessSupervisor : IAsyncDisposable
{
    private readonly string pidDirectory;
    private readonly string prefix;
    private readonly List<SupervisedProcess> processes = [];
    private readonly Lock sync = new();

    /// <summary>Creates a supervisor whose pid files go to <paramref name="pidDirectory"/> as <c>&lt;prefix&gt;-&lt;name&gt;.pid</c>.</summary>
    public ProcessSupervisor(string pidDirectory, string prefix)
    {
        this.pidDirectory = pidDirectory;
        this.prefix = prefix;
    }

    /// <summary>Everything started so far.</summary>
    public IReadOnlyList<SupervisedProcess> Processes
    {
        get
        {
            lock (sync)
            {
                return [.. processes];
            }
        }
    }

    /// <summary>Starts a process and keeps it under supervision.</summary>
    public async Task<SupervisedProcess> StartAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var process = new SupervisedProcess(spec, Path.Combine(pidDirectory, $"{prefix}-{spec.Name}.pid"));
        lock (sync)
        {
            processes.Add(process);
        }

        await process.StartAsync(cancellationToken).ConfigureAwait(false);
        return process;
    }

    /// <summary>Stops everything at once (SIGTERM, SIGKILL after <paramref name="grace"/>) and waits for every exit.</summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        var all = Processes;
        var errors = new List<Exception>();
        var stops = all.Select(async p =>
        {
            try
            {
                await p.StopAsync(grace).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                lock (errors)
                {
                    errors.Add(exception);
                }
            }
        });
        await Task.WhenAll(stops).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new AggregateException("Some lab processes did not stop.", errors);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAllAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var process in Processes)
            {
                process.Dispose();
            }
        }
    }
}
