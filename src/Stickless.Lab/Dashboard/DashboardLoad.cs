using Stickless.Lab.Deployment;
using Stickless.Lab.Workload;

namespace Stickless.Lab.Dashboard;

/// <summary>
/// A short bench started from the dashboard's button: the same virtual users as <c>stickless bench</c>, run inside
/// the lab against the deployment on screen, feeding its <see cref="LiveBenchCounters"/>. One at a time.
/// </summary>
internal sealed class DashboardLoad : IAsyncDisposable
{
    private readonly LabDeployment deployment;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock sync = new();
    private Task running = Task.CompletedTask;

    /// <summary>Creates the load runner of <paramref name="deployment"/>.</summary>
    public DashboardLoad(LabDeployment deployment) => this.deployment = deployment;

    /// <summary>True while a load runs.</summary>
    public bool IsRunning => !running.IsCompleted;

    /// <summary>Starts a load of <paramref name="users"/> users for <paramref name="duration"/>; false when one runs already.</summary>
    public bool TryStart(int users, TimeSpan duration)
    {
        lock (sync)
        {
            if (!running.IsCompleted || stop.IsCancellationRequested)
            {
                return false;
            }

            running = Task.Run(() => RunAsync(users, duration, stop.Token));
            return true;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }

    private async Task RunAsync(int users, TimeSpan duration, CancellationToken cancellationToken)
    {
        var counters = deployment.LiveCounters;
        var label = $"dashboard load · {deployment.Strategy.Name} · {users} users · {duration.TotalSeconds:0} s";
        var options = new WorkloadOptions { Users = users, Duration = duration };
        try
        {
            using var workload = new WorkloadRunner(deployment.FrontendUrl, options, TimeProvider.System, counters);
            counters.Begin(label + " · signing in");
            await workload.WarmUpAsync(cancellationToken).ConfigureAwait(false);
            counters.Begin(label);
            await workload.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            counters.End();
        }
    }
}
