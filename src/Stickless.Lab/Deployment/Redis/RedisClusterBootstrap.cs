using System.Globalization;

namespace Stickless.Lab.Deployment.Redis;

/// <summary>
/// Forms a Redis Cluster from fresh nodes, as <c>redis-cli --cluster create … --cluster-replicas 1</c> does, with
/// plain commands: every node meets the first, the masters take equal slot ranges, each replica follows its master,
/// and it waits until every node reports <c>cluster_state:ok</c> with all 16384 slots assigned.
/// </summary>
internal static class RedisClusterBootstrap
{
    /// <summary>Hash slots in a Redis Cluster.</summary>
    public const int SlotCount = 16384;

    /// <summary>Creates the cluster; <paramref name="masters"/>[i] gets <paramref name="replicas"/>[i] as its replica.</summary>
    /// <param name="masters">The nodes that hold slots.</param>
    /// <param name="replicas">One replica per master, in the same order.</param>
    /// <param name="watch">A process whose death ends the wait with its log (the first node).</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    public static async Task CreateAsync(IReadOnlyList<LabService> masters, IReadOnlyList<LabService> replicas, LabService watch, CancellationToken cancellationToken)
    {
        var all = masters.Concat(replicas).ToList();
        var first = all[0];
        foreach (var node in all.Skip(1))
        {
            await RedisLabClient.ExecuteAsync(node.Port, ["CLUSTER", "MEET", "127.0.0.1", first.Port.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < masters.Count; i++)
        {
            var (start, end) = SlotRange(i, masters.Count);
            await RedisLabClient.ExecuteAsync(masters[i].Port,
                ["CLUSTER", "ADDSLOTSRANGE", start.ToString(CultureInfo.InvariantCulture), end.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        // A replica can follow only a master it knows: wait until the gossip has reached every node.
        await Readiness.WaitAsync(watch.Process, "every cluster node knowing every other", async ct =>
        {
            foreach (var node in all)
            {
                if ((await NodesAsync(node.Port, ct).ConfigureAwait(false)).Count != all.Count)
                {
                    return false;
                }
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

        for (var i = 0; i < replicas.Count; i++)
        {
            var masterId = await RedisLabClient.ExecuteAsync(masters[i].Port, ["CLUSTER", "MYID"], cancellationToken).ConfigureAwait(false) as string
                ?? throw new LabException($"{masters[i].Name} did not answer CLUSTER MYID.");
            await RedisLabClient.ExecuteAsync(replicas[i].Port, ["CLUSTER", "REPLICATE", masterId], cancellationToken).ConfigureAwait(false);
        }

        await Readiness.WaitAsync(watch.Process, "cluster_state:ok on every node, which agree on masters and replicas, every replica in sync", async ct =>
        {
            foreach (var node in all)
            {
                var info = await RedisInfo.ReadClusterAsync(node.Port, ct).ConfigureAwait(false);
                if (info.GetValueOrDefault("cluster_state") != "ok" || RedisInfo.Long(info, "cluster_slots_assigned") != SlotCount
                    || RedisInfo.Long(info, "cluster_known_nodes") != all.Count)
                {
                    return false;
                }
            }

            // Every node must know the whole shape (which node replicates which): clients may ask any of them.
            foreach (var node in all)
            {
                var lines = await NodesAsync(node.Port, ct).ConfigureAwait(false);
                if (lines.Count(static l => l.IsHealthyMaster && l.Slots.Count > 0) != masters.Count
                    || lines.Count(static l => l.Flags.Contains("slave") && !l.Flags.Contains("fail")) != replicas.Count)
                {
                    return false;
                }
            }

            foreach (var replica in replicas)
            {
                if ((await RedisInfo.ReadAsync(replica.Port, "replication", ct).ConfigureAwait(false)).GetValueOrDefault("master_link_status") != "up")
                {
                    return false;
                }
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The slots master <paramref name="index"/> of <paramref name="count"/> owns, as redis-cli splits them.</summary>
    public static (int Start, int End) SlotRange(int index, int count)
    {
        var per = SlotCount / (double)count;
        var start = (int)Math.Round(index * per);
        var end = index == count - 1 ? SlotCount - 1 : (int)Math.Round((index + 1) * per) - 1;
        return (start, end);
    }

    /// <summary>The lines of <c>CLUSTER NODES</c> on <paramref name="port"/>.</summary>
    public static async Task<IReadOnlyList<ClusterNodeLine>> NodesAsync(int port, CancellationToken cancellationToken)
    {
        var text = await RedisLabClient.ExecuteAsync(port, ["CLUSTER", "NODES"], cancellationToken).ConfigureAwait(false) as string ?? string.Empty;
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ClusterNodeLine.Parse).OfType<ClusterNodeLine>()];
    }

    /// <summary>The port of the master that owns <paramref name="slot"/> according to the node on <paramref name="port"/> (<c>CLUSTER SLOTS</c>), or null.</summary>
    public static async Task<int?> OwnerOfSlotAsync(int port, int slot, CancellationToken cancellationToken)
    {
        if (await RedisLabClient.ExecuteAsync(port, ["CLUSTER", "SLOTS"], cancellationToken).ConfigureAwait(false) is not object?[] ranges)
        {
            return null;
        }

        foreach (var range in ranges.OfType<object?[]>())
        {
            if (range is [long start, long end, object?[] { Length: >= 2 } master, ..] && start <= slot && slot <= end && master[1] is long owner)
            {
                return (int)owner;
            }
        }

        return null;
    }
}
