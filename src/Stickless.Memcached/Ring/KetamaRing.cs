using System.Globalization;
using System.Security.Cryptography;
using System.Text;

// Ketama is defined over MD5: it spreads keys, it protects nothing. The keys it hashes are already keyed HMACs.
#pragma warning disable CA5351

namespace Stickless.Memcached.Ring;

/// <summary>
/// A consistent-hash ring compatible with libmemcached's weighted ketama (<c>MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED</c>):
/// each node gets <c>floor(w/Σw × 40 × N + 1e-10) × 4</c> points (160 with equal weights), four per MD5 of
/// <c>"&lt;name&gt;-&lt;k&gt;"</c>, and a key goes to the first point at or after the first four bytes of its
/// MD5 (little-endian), wrapping to the first point. With equal weights the ring is also spymemcached's.
/// </summary>
/// <remarks>
/// The ring is built once from the configured nodes and never changes: a dead node keeps its points, so a
/// node's death never moves another node's keys (the backup serves them instead).
/// </remarks>
public sealed class KetamaRing
{
    private const int PointsPerHash = 4;

    private readonly uint[] _values;
    private readonly int[] _owners;

    /// <summary>Builds the ring of <paramref name="nodes"/> (index in this list = node index in every answer).</summary>
    /// <exception cref="ArgumentException">No nodes, a weight below 1, or an empty or duplicate name.</exception>
    public KetamaRing(IReadOnlyList<KetamaNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("A ring needs at least one node.", nameof(nodes));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        long totalWeight = 0;
        foreach (var node in nodes)
        {
            if (string.IsNullOrEmpty(node.Name) || !names.Add(node.Name))
            {
                throw new ArgumentException($"Ring names must be non-empty and distinct (was '{node.Name}').", nameof(nodes));
            }

            if (node.Weight < 1)
            {
                throw new ArgumentException($"Node '{node.Name}' has weight {node.Weight}; weights start at 1.", nameof(nodes));
            }

            totalWeight += node.Weight;
        }

        var points = new List<(uint Value, int Owner)>();
        Span<byte> digest = stackalloc byte[16];
        for (var index = 0; index < nodes.Count; index++)
        {
            var node = nodes[index];
            var hashes = PointsFor(node.Weight, totalWeight, nodes.Count) / PointsPerHash;
            for (var k = 0; k < hashes; k++)
            {
                MD5.HashData(Encoding.UTF8.GetBytes(node.Name + "-" + k.ToString(CultureInfo.InvariantCulture)), digest);
                for (var a = 0; a < PointsPerHash; a++)
                {
                    var value = (uint)(digest[(a * 4) + 3] << 24 | digest[(a * 4) + 2] << 16 | digest[(a * 4) + 1] << 8 | digest[a * 4]);
                    points.Add((value, index));
                }
            }
        }

        // Ties go to the lower node index, as libmemcached's sort does.
        points.Sort(static (x, y) => x.Value != y.Value ? x.Value.CompareTo(y.Value) : x.Owner.CompareTo(y.Owner));
        _values = [.. points.Select(p => p.Value)];
        _owners = [.. points.Select(p => p.Owner)];
        NodeCount = nodes.Count;
    }

    /// <summary>How many nodes the ring was built from.</summary>
    public int NodeCount { get; }

    /// <summary>How many points the ring has.</summary>
    public int PointCount => _values.Length;

    /// <summary>The key hash ketama places by: the first four bytes of MD5(<paramref name="key"/>), little-endian.</summary>
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(key, digest);
        return (uint)(digest[3] << 24 | digest[2] << 16 | digest[1] << 8 | digest[0]);
    }

    /// <summary>The index of the node that owns <paramref name="hash"/>.</summary>
    public int GetNode(uint hash) => _owners[GetPointIndex(hash)];

    /// <summary>The index of the first point at or after <paramref name="hash"/>, wrapping to 0.</summary>
    public int GetPointIndex(uint hash)
    {
        var index = Array.BinarySearch(_values, hash);
        if (index < 0)
        {
            index = ~index;
        }
        else
        {
            // Equal values: the first of them (lowest node index).
            while (index > 0 && _values[index - 1] == hash)
            {
                index--;
            }
        }

        return index == _values.Length ? 0 : index;
    }

    /// <summary>The value of point <paramref name="pointIndex"/> (for tests against published vectors).</summary>
    public uint GetPointValue(int pointIndex) => _values[pointIndex];

    /// <summary>
    /// The owner of <paramref name="hash"/> and the backup: the next node clockwise from the owner's point that is
    /// a different node; -1 when the ring has one node.
    /// </summary>
    public (int Primary, int Backup) GetPrimaryAndBackup(uint hash)
    {
        var point = GetPointIndex(hash);
        var primary = _owners[point];
        for (var step = 1; step < _values.Length; step++)
        {
            var owner = _owners[(point + step) % _values.Length];
            if (owner != primary)
            {
                return (primary, owner);
            }
        }

        return (primary, -1);
    }

    /// <summary>The points node <paramref name="weight"/> gets, computed in single precision exactly as libmemcached does.</summary>
    private static int PointsFor(int weight, long totalWeight, int nodeCount)
    {
        var share = (float)weight / totalWeight;
        var perServer = share * 160f / 4f * nodeCount;
        return (int)Math.Floor(perServer + 0.0000000001) * PointsPerHash;
    }
}
