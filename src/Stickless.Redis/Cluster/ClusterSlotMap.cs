using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Cluster;

/// <summary>
/// Which master serves each of the 16384 slots, built from a <c>CLUSTER SLOTS</c> reply. A <c>MOVED</c>
/// redirection patches one slot in place (<see cref="Redirect"/>); a refresh replaces the whole map.
/// </summary>
internal sealed class ClusterSlotMap
{
    private readonly RedisEndpoint?[] _owners;

    private ClusterSlotMap(RedisEndpoint?[] owners, IReadOnlyList<ClusterShard> shards)
    {
        _owners = owners;
        Shards = shards;
        Masters = [.. shards.Select(s => s.Master).Distinct()];
        Nodes = [.. Masters, .. shards.SelectMany(s => s.Replicas).Distinct().Except(Masters)];
        CoveredSlots = owners.Count(o => o is not null);
    }

    /// <summary>A map that knows no node (before the first discovery).</summary>
    public static ClusterSlotMap Empty { get; } = new(new RedisEndpoint?[ClusterSlots.Count], []);

    /// <summary>The slot ranges as discovered (a later <see cref="Redirect"/> does not change them).</summary>
    public IReadOnlyList<ClusterShard> Shards { get; }

    /// <summary>Every master, each once.</summary>
    public IReadOnlyList<RedisEndpoint> Masters { get; }

    /// <summary>Every node, masters first, then replicas.</summary>
    public IReadOnlyList<RedisEndpoint> Nodes { get; }

    /// <summary>How many slots have a known master (16384 when the cluster is fully covered).</summary>
    public int CoveredSlots { get; }

    /// <summary>The master of <paramref name="slot"/>, or <see langword="null"/> when no node is known for it.</summary>
    public RedisEndpoint? GetMaster(int slot) => Volatile.Read(ref _owners[slot]);

    /// <summary>Records a <c>MOVED</c> answer: <paramref name="slot"/> is now served by <paramref name="endpoint"/>.</summary>
    public void Redirect(int slot, RedisEndpoint endpoint) => Volatile.Write(ref _owners[slot], endpoint);

    /// <summary>True when <paramref name="other"/> lists the same ranges, masters and replicas.</summary>
    public bool HasSameShards(ClusterSlotMap other) =>
        Shards.Count == other.Shards.Count
        && Shards.Zip(other.Shards).All(p => p.First.Start == p.Second.Start && p.First.End == p.Second.End
            && p.First.Master == p.Second.Master && p.First.Replicas.SequenceEqual(p.Second.Replicas));

    /// <summary>
    /// Reads a <c>CLUSTER SLOTS</c> reply: an array of <c>[start, end, master, replica…]</c>, each node
    /// <c>[host, port, node id, …]</c>. An empty host means the node that answered (<paramref name="answeredBy"/>);
    /// <c>?</c> means the node's address is unknown (the range is left uncovered, the replica skipped).
    /// </summary>
    /// <returns>False, with the reason in <paramref name="error"/>, when the reply is malformed.</returns>
    public static bool TryParse(RespValue reply, RedisEndpoint answeredBy, out ClusterSlotMap? map, out string? error)
    {
        map = null;
        error = null;
        if (reply.Type != RespType.Array || reply.IsNull)
        {
            error = $"CLUSTER SLOTS answered {reply.Type}, not an array";
            return false;
        }

        var owners = new RedisEndpoint?[ClusterSlots.Count];
        var shards = new List<ClusterShard>(reply.Count);
        foreach (var range in reply.Items)
        {
            if (range.Type != RespType.Array || range.Count < 3)
            {
                error = "a slot range is not an array of start, end and a master";
                return false;
            }

            if (!TryGetSlot(range[0], out var start) || !TryGetSlot(range[1], out var end) || start > end)
            {
                error = "a slot range has bounds outside 0–16383 or in the wrong order";
                return false;
            }

            if (!TryReadNode(range[2], answeredBy, out var master, out error))
            {
                return false;
            }

            var replicas = new List<RedisEndpoint>();
            for (var i = 3; i < range.Count; i++)
            {
                if (!TryReadNode(range[i], answeredBy, out var replica, out error))
                {
                    return false;
                }

                if (replica is not null)
                {
                    replicas.Add(replica);
                }
            }

            if (master is null)
            {
                continue;
            }

            for (var slot = start; slot <= end; slot++)
            {
                owners[slot] = master;
            }

            shards.Add(new ClusterShard(start, end, master, replicas));
        }

        shards.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        map = new ClusterSlotMap(owners, shards);
        return true;
    }

    private static bool TryGetSlot(RespValue value, out int slot)
    {
        slot = -1;
        if (value.Type != RespType.Integer)
        {
            return false;
        }

        var n = value.GetInt64();
        if (n is < 0 or >= ClusterSlots.Count)
        {
            return false;
        }

        slot = (int)n;
        return true;
    }

    /// <summary>Reads <c>[host, port, …]</c>; a node whose address is unknown (<c>?</c>, port 0) gives null.</summary>
    private static bool TryReadNode(RespValue node, RedisEndpoint answeredBy, out RedisEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (node.Type != RespType.Array || node.Count < 2 || node[0].IsAggregate || node[0].IsNull || node[1].Type != RespType.Integer)
        {
            error = "a node is not an array of host and port";
            return false;
        }

        var host = node[0].GetString() ?? "";
        var port = node[1].GetInt64();
        if (port is < 0 or > 65535 || host.Any(char.IsWhiteSpace))
        {
            error = $"a node has an invalid address ({host}:{port})";
            return false;
        }

        if (host == "?" || port == 0)
        {
            return true;
        }

        endpoint = new RedisEndpoint(host.Length == 0 ? answeredBy.Host : host, (int)port);
        return true;
    }
}
