using Stickless.Lab.Bench;
using Stickless.Lab.Workload;
using Xunit;

namespace Stickless.Lab.Tests.Compare;

/// <summary><c>bench --compare</c> and the focused workloads on the command line (pure logic).</summary>
public sealed class CompareArgumentsTests
{
    [Fact]
    public void TryParse_Compare_MeasuresRedisAgainstBothPeers()
    {
        Assert.True(BenchArguments.TryParse(["--compare"], out var args, out var errors), string.Join("; ", errors));
        Assert.True(args.Compare);
        Assert.True(args.Alternates);
        Assert.Equal(["redis", "aspnetcore-redis", "express-redis"], args.Strategies);
        Assert.Equal(WorkloadKind.Mixed, args.Workload);
    }

    [Fact]
    public void TryParse_CompareWithStrategies_KeepsTheGivenList()
    {
        Assert.True(BenchArguments.TryParse(["--compare", "--strategies", "redis,sticky"], out var args, out var errors), string.Join("; ", errors));
        Assert.Equal(["redis", "sticky"], args.Strategies);
    }

    [Fact]
    public void TryParse_TheIssuesOptionSet_ReadsEveryOption()
    {
        Assert.True(BenchArguments.TryParse(
            ["--compare", "--nodes", "1", "--connections", "32", "--rounds", "3", "--workload", "contended", "--sessions", "16"],
            out var args, out var errors), string.Join("; ", errors));
        Assert.Equal(1, args.Nodes);
        Assert.Equal(32, args.Connections);
        Assert.Equal(3, args.Rounds);
        Assert.Equal(16, args.Sessions);
        Assert.Equal(WorkloadKind.Contended, args.Workload);

        var options = BenchCommand.WorkloadFor(args, "redis");
        Assert.Equal(WorkloadKind.Contended, options.Kind);
        Assert.Equal(32, options.Connections);
        Assert.Equal(16, options.Sessions);
    }

    [Theory]
    [InlineData("read", "read")]
    [InlineData("WRITE", "write")]
    [InlineData("contended", "contended")]
    [InlineData("mixed", "mixed")]
    public void TryParse_Workload_ReadsEachName(string name, string expected)
    {
        Assert.True(BenchArguments.TryParse(["--workload", name], out var args, out var errors), string.Join("; ", errors));
        Assert.Equal(expected, args.Workload.Name());
        Assert.Equal(expected != "mixed", args.Alternates);
    }

    [Theory]
    [InlineData(new[] { "--workload", "burst" }, "--workload")] // why: not a workload
    [InlineData(new[] { "--connections", "0" }, "--connections")] // why: nobody sends
    [InlineData(new[] { "--rounds", "0" }, "--rounds")] // why: nothing measured
    [InlineData(new[] { "--compare=maybe" }, "--compare")] // why: a flag is true or false
    public void TryParse_BadValue_NamesTheOption(string[] arguments, string option)
    {
        Assert.False(BenchArguments.TryParse(arguments, out _, out var errors));
        Assert.Contains(errors, e => e.Contains(option, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_ClassicBench_DoesNotAlternate()
    {
        Assert.True(BenchArguments.TryParse(["--strategies", "redis", "--compare=false"], out var args, out _));
        Assert.False(args.Compare);
        Assert.False(args.Alternates);
    }

    [Fact]
    public void TryParse_NearCacheBoth_NearCacheFirstThenWithout()
    {
        Assert.True(BenchArguments.TryParse(["--compare", "--near-cache", "both", "--workload", "read", "--session-free"], out var args, out var errors), string.Join("; ", errors));

        Assert.Equal([true, false], args.NearCache);
        Assert.True(args.SessionFree);
        Assert.Equal([true, false], BenchCommand.NearCacheSettings(args, "redis"));
        Assert.Equal([false], BenchCommand.NearCacheSettings(args, "aspnetcore-redis")); // a peer runs as it is
    }

    [Theory]
    [InlineData(new[] { "--near-cache", "maybe" }, "--near-cache")] // why: not off, on or both
    [InlineData(new[] { "--session-free", "--workload", "write" }, "--session-free")] // why: it is measured beside reads only
    [InlineData(new[] { "--logout-trials", "50", "--nodes", "1" }, "--logout-trials")] // why: a logout needs another node to go unseen on
    public void TryParse_NearCacheOptionsMisused_ListsTheError(string[] argv, string expected)
    {
        Assert.False(BenchArguments.TryParse(argv, out _, out var errors));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
