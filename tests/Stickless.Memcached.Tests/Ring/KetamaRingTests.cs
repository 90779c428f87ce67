using System.Globalization;
using System.Text;
using Stickless.Memcached.Ring;

namespace Stickless.Memcached.Tests.Ring;

public sealed class KetamaRingTests
{
    private static readonly int[] LibmemcachedWeights = [600, 300, 200, 350, 1000, 800, 950, 100];

    [Fact]
    public void GetNode_LibmemcachedWeightedVectors_MatchEveryKeyAndPoint()
    {
        var ring = new KetamaRing([.. Enumerable.Range(1, 8).Select(n => new KetamaNode(KetamaNode.NameFor($"10.0.1.{n}", 11211, KetamaNameFormat.Libmemcached), LibmemcachedWeights[n - 1]))]);
        Assert.Equal(1264, ring.PointCount);
        var rows = ReadVectors("libmemcached-weighted.tsv");
        Assert.Equal(99, rows.Count);
        foreach (var row in rows)
        {
            var key = Convert.FromHexString(row[0]);
            var hash = KetamaRing.Hash(key);
            Assert.Equal(uint.Parse(row[1], CultureInfo.InvariantCulture), hash);
            Assert.Equal(uint.Parse(row[2], CultureInfo.InvariantCulture), ring.GetPointValue(ring.GetPointIndex(hash)));
            Assert.Equal(row[3], $"10.0.1.{ring.GetNode(hash) + 1}");
        }
    }

    [Fact]
    public void GetNode_LibmemcachedSpyWeightedVectors_MatchEveryKey()
    {
        var ring = new KetamaRing([.. Enumerable.Range(1, 8).Select(n => new KetamaNode(KetamaNode.NameFor($"10.0.1.{n}", 11211, KetamaNameFormat.LibmemcachedSpy), LibmemcachedWeights[n - 1]))]);
        var rows = ReadVectors("libmemcached-spy-weighted.tsv");
        Assert.Equal(99, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal(row[1], $"10.0.1.{ring.GetNode(KetamaRing.Hash(Convert.FromHexString(row[0]))) + 1}");
        }
    }

    [Fact]
    public void GetNode_SpymemcachedUnweightedVectors_MatchEveryKey()
    {
        var ring = new KetamaRing([.. Enumerable.Range(1, 8).Select(n => new KetamaNode(KetamaNode.NameFor($"10.0.1.{n}", 11211, KetamaNameFormat.Spymemcached)))]);
        Assert.Equal(8 * 160, ring.PointCount);
        var rows = ReadVectors("spymemcached-unweighted.tsv");
        Assert.Equal(2841, rows.Count);
        foreach (var row in rows)
        {
            var node = ring.GetNode(KetamaRing.Hash(Encoding.UTF8.GetBytes(row[0])));
            Assert.Equal(row[1], $"10.0.1.{node + 1}:11211");
        }
    }

    [Fact]
    public void GetNode_HashPastLastPoint_WrapsToFirstPoint()
    {
        var ring = new KetamaRing([new KetamaNode("a"), new KetamaNode("b"), new KetamaNode("c")]);
        var last = ring.GetPointValue(ring.PointCount - 1);
        Assert.NotEqual(uint.MaxValue, last);
        Assert.Equal(0, ring.GetPointIndex(last + 1));
    }

    [Fact]
    public void GetPrimaryAndBackup_ThreeNodes_BackupIsAnotherNode()
    {
        var ring = new KetamaRing([new KetamaNode("a"), new KetamaNode("b"), new KetamaNode("c")]);
        for (uint h = 0; h < 100_000; h++)
        {
            var (primary, backup) = ring.GetPrimaryAndBackup(h * 42_949);
            Assert.NotEqual(primary, backup);
            Assert.InRange(backup, 0, 2);
        }
    }

    [Fact]
    public void GetPrimaryAndBackup_OneNode_HasNoBackup()
    {
        var ring = new KetamaRing([new KetamaNode("only")]);
        Assert.Equal((0, -1), ring.GetPrimaryAndBackup(12345));
    }

    [Fact]
    public void GetNode_NodeRenamedInAddressButNotInName_MovesNoKey()
    {
        // Replacing a machine keeps its configured ring name, so no key moves.
        var before = new KetamaRing([new KetamaNode("cache-1"), new KetamaNode("cache-2"), new KetamaNode("cache-3")]);
        var after = new KetamaRing([new KetamaNode("cache-1"), new KetamaNode("cache-2"), new KetamaNode("cache-3")]);
        for (var i = 0; i < 10_000; i++)
        {
            var hash = KetamaRing.Hash(Encoding.ASCII.GetBytes("key" + i));
            Assert.Equal(before.GetNode(hash), after.GetNode(hash));
        }
    }

    [Fact]
    public void GetNode_FourthNodeAdded_MovesAboutAQuarterOfKeysAllToTheNewNode()
    {
        var three = new KetamaRing([new KetamaNode("a"), new KetamaNode("b"), new KetamaNode("c")]);
        var four = new KetamaRing([new KetamaNode("a"), new KetamaNode("b"), new KetamaNode("c"), new KetamaNode("d")]);
        var moved = 0;
        const int Keys = 20_000;
        for (var i = 0; i < Keys; i++)
        {
            var hash = KetamaRing.Hash(Encoding.ASCII.GetBytes("session" + i));
            var from = three.GetNode(hash);
            var to = four.GetNode(hash);
            if (from != to)
            {
                Assert.Equal(3, to);
                moved++;
            }
        }

        Assert.InRange(moved / (double)Keys, 0.15, 0.35);
    }

    [Theory]
    [InlineData("10.0.0.1", 11211, KetamaNameFormat.Libmemcached, "10.0.0.1")]
    [InlineData("10.0.0.1", 11212, KetamaNameFormat.Libmemcached, "10.0.0.1:11212")]
    [InlineData("10.0.0.1", 11211, KetamaNameFormat.Spymemcached, "10.0.0.1:11211")]
    [InlineData("10.0.0.1", 11211, KetamaNameFormat.LibmemcachedSpy, "/10.0.0.1:11211")]
    public void NameFor_Format_GivesThatClientsName(string host, int port, KetamaNameFormat format, string expected) =>
        Assert.Equal(expected, KetamaNode.NameFor(host, port, format));

    [Fact]
    public void Constructor_DuplicateNamesOrBadWeight_Throws()
    {
        Assert.Throws<ArgumentException>(() => new KetamaRing([new KetamaNode("a"), new KetamaNode("a")]));
        Assert.Throws<ArgumentException>(() => new KetamaRing([new KetamaNode("a", 0)]));
        Assert.Throws<ArgumentException>(() => new KetamaRing([]));
    }

    private static List<string[]> ReadVectors(string file) =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Ring", "Vectors", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("key", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))];
}
