using Stickless.Lab.Deployment;

namespace Stickless.Lab.Chaos;

/// <summary>Polls a Redis deployment until another server has taken over from a master, bounded in time.</summary>
internal static class FailoverWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <see cref="IRedisFailoverTopology.FindSuccessorAsync"/> names a successor, or <paramref name="limit"/> has passed since <paramref name="since"/>.</summary>
    /// <returns>The successor and the time since <paramref name="since"/> when it was seen; a null successor when none was seen in time.</returns>
    public static async Task<(LabService? Successor, TimeSpan Elapsed)> WaitAsync(
        IRedisFailoverTopology topology, IReadOnlyList<LabService> services, RedisMaster master, long since, TimeSpan limit, TimeProvider time, CancellationToken ct)
    {
        while (true)
        {
            var successor = await topology.FindSuccessorAsync(services, master, ct).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(since);
            if (successor is not null || elapsed >= limit)
            {
                return (successor, elapsed);
            }

            await Task.Delay(Interval, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The deployment's failover topology, or a clear error naming the strategies that have one.</summary>
    public static IRedisFailoverTopology TopologyOf(FaultContext context, string fault) =>
        context.Deployment.Strategy as IRedisFailoverTopology
        ?? throw new LabException($"{fault} needs a Redis strategy with failover ({string.Join(", ", LabStrategies.All.OfType<IRedisFailoverTopology>().Cast<ILabStrategy>().Select(s => s.Name))}), not {context.Deployment.Strategy.Name}.");
}
