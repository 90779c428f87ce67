using System.Text;

namespace Stickless.Replication.Placement;

/// <summary>
/// Rendezvous (highest random weight) hashing: each node gets a score from the hash of (session id, node id); the
/// highest score owns the session, the second backs it up. When a node leaves, only the sessions it ranked first or
/// second move, and the old backup, already holding the data, becomes the owner.
/// </summary>
/// <remarks>
/// The score is 64-bit FNV-1a over the id, a separator and the node id, finished with the SplitMix64 mixer (FNV-1a
/// alone mixes its last bytes poorly, and node ids differ mostly in their last byte). It is fixed here, not taken from
/// a library, so every node of every version computes the same placement.
/// </remarks>
internal static class RendezvousPlacement
{
    /// <summary>The score of <paramref name="nodeId"/> for <paramref name="sessionId"/>.</summary>
    public static ulong Score(string sessionId, string nodeId)
    {
        var hash = 14695981039346656037UL;
        hash = Mix(hash, sessionId);
        hash = (hash ^ 0xFF) * 1099511628211UL;
        hash = Mix(hash, nodeId);
        return Finish(hash);
    }

    /// <summary>The node that owns <paramref name="sessionId"/> among <paramref name="nodes"/>, or null when there is none.</summary>
    public static string? Owner(string sessionId, IReadOnlyList<string> nodes)
    {
        string? best = null;
        var bestScore = 0UL;
        foreach (var node in nodes)
        {
            var score = Score(sessionId, node);
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(node, best) < 0))
            {
                best = node;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The first <paramref name="count"/> nodes for <paramref name="sessionId"/>, best first.</summary>
    public static IReadOnlyList<string> Rank(string sessionId, IReadOnlyList<string> nodes, int count)
    {
        if (count <= 0 || nodes.Count == 0)
        {
            return [];
        }

        if (count == 1)
        {
            return Owner(sessionId, nodes) is { } owner ? [owner] : [];
        }

        return [.. nodes
            .Select(n => (Node: n, Score: Score(sessionId, n)))
            .OrderByDescending(p => p.Score)
            .ThenBy(p => p.Node, StringComparer.Ordinal)
            .Take(count)
            .Select(p => p.Node)];
    }

    private static ulong Mix(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Finish(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
