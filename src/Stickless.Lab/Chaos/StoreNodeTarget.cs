using Stickless.Lab.Deployment;
using Stickless.Lab.Deployment.Strategies;

namespace Stickless.Lab.Chaos;

/// <summary>Picks the memcached server a store-node fault hits: the one holding the most items (ties: the first).</summary>
internal static class StoreNodeTarget
{
    public static async Task<(LabService Service, long Items)> PickAsync(FaultContext context, string fault, CancellationToken ct)
    {
        var servers = MemcachedStrategy.MemcachedServices(context.Deployment.Services).Where(s => s.IsAlive).ToList();
        if (servers.Count == 0 || context.Deployment.Strategy is not IServiceItemCounter counter)
        {
            throw new LabException($"--fault {fault} needs a memcached strategy (memcached, memcached-backup) with a running server.");
        }

        var items = await counter.CountItemsAsync(context.Deployment.Context, ct).ConfigureAwait(false);
        var target = servers.OrderByDescending(s => items.GetValueOrDefault(s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal).First();
        return (target, items.GetValueOrDefault(target.Name));
    }
}
