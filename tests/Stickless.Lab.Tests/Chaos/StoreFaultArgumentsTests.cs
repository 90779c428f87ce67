using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests.Chaos;

/// <summary>The store faults' registration and command-line parameters (pure logic, no process).</summary>
public sealed class StoreFaultArgumentsTests
{
    [Theory]
    [InlineData("slow-store", typeof(StoreLinkFault))]
    [InlineData("blackhole-store", typeof(StoreLinkFault))]
    [InlineData("restart-store", typeof(RestartStoreFault))]
    public void TryCreate_StoreFault_IsRegistered(string name, Type type)
    {
        Assert.True(FaultRegistry.TryCreate(name, out var fault));
        Assert.IsType(type, fault);
        Assert.Equal(name, fault.Name);
        Assert.True(fault.NeedsStoreLinks);
    }

    [Fact]
    public void TryCreate_SlowStoreWithSettings_TakesThem()
    {
        var settings = new FaultSettings { Latency = TimeSpan.FromSeconds(3), HoldFor = TimeSpan.FromSeconds(4), Nodes = 1 };

        Assert.True(FaultRegistry.TryCreate("slow-store", settings, out var fault));

        var slow = Assert.IsType<StoreLinkFault>(fault);
        Assert.Equal(TimeSpan.FromSeconds(4), slow.HoldFor);
        Assert.Equal(1, slow.Nodes);
    }

    [Fact]
    public void TryCreate_NoSettings_HoldsFiveSecondsOnEveryNode()
    {
        Assert.True(FaultRegistry.TryCreate("blackhole-store", out var fault));

        var blackhole = Assert.IsType<StoreLinkFault>(fault);
        Assert.Equal(TimeSpan.FromSeconds(5), blackhole.HoldFor);
        Assert.Null(blackhole.Nodes);
    }

    [Fact]
    public void TryParse_SlowStoreOptions_ReadsThem()
    {
        Assert.True(ChaosArguments.TryParse(
            ["--strategy", "redis", "--fault", "slow-store", "--latency", "500ms", "--jitter", "0.05", "--fault-for", "4s", "--fault-nodes", "2"],
            out var args,
            out var errors), string.Join("; ", errors));

        Assert.Equal(TimeSpan.FromMilliseconds(500), args.Settings.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(50), args.Settings.Jitter);
        Assert.Equal(TimeSpan.FromSeconds(4), args.Settings.HoldFor);
        Assert.Equal(2, args.Settings.Nodes);
        Assert.Equal("latency 500 ms, jitter 50 ms, for 4 s, 2 nodes", args.Settings.ToString());
    }

    [Fact]
    public void TryParse_FaultNodesAll_MeansEveryNode()
    {
        Assert.True(ChaosArguments.TryParse(["--fault", "blackhole-store", "--fault-nodes", "all"], out var args, out var errors), string.Join("; ", errors));
        Assert.Null(args.Settings.Nodes);
    }

    [Fact]
    public void TryParse_PersistenceList_ReadsEachSettingInOrder()
    {
        Assert.True(ChaosArguments.TryParse(
            ["--strategy", "redis", "--fault", "restart-store", "--persistence", "aof-always,none"], out var args, out var errors), string.Join("; ", errors));

        Assert.Equal([RedisPersistence.AofAlways, RedisPersistence.None], args.Persistence);
    }

    [Theory]

    // Latency belongs to slow-store: a black hole has none.
    [InlineData("--fault blackhole-store --latency 500ms", "--latency")]

    // A hold time belongs to the link faults: a restart lasts as long as the restart.
    [InlineData("--fault restart-store --fault-for 3", "--fault-for")]
    [InlineData("--fault kill-node --fault-nodes 1", "--fault-nodes")]

    // Not a duration.
    [InlineData("--fault slow-store --latency soon", "--latency")]
    [InlineData("--fault slow-store --latency -5ms", "--latency")]

    // More nodes than the run has.
    [InlineData("--fault slow-store --nodes 2 --fault-nodes 3", "--fault-nodes")]

    // Not a persistence setting.
    [InlineData("--fault restart-store --persistence aof-sometimes", "persistence")]

    // Struck at 80 % of 20 s and held 5 s: it would still hold when the run ends, unmeasured.
    [InlineData("--fault slow-store --fault-at 0.8", "outlast")]
    public void TryParse_Invalid_SaysWhy(string line, string expected)
    {
        Assert.False(ChaosArguments.TryParse(line.Split(' '), out _, out var errors));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("off", new[] { false })]
    [InlineData("on", new[] { true })]
    [InlineData("both", new[] { false, true })]
    public void TryParse_BenchStoreProxy_ReadsOffOnOrBoth(string text, bool[] expected)
    {
        Assert.True(BenchArguments.TryParse(["--store-proxy", text], out var args, out var errors), string.Join("; ", errors));
        Assert.Equal(expected, args.StoreProxy);
    }

    [Fact]
    public void TryParse_BenchPersistence_ReadsEverySetting()
    {
        Assert.True(BenchArguments.TryParse(
            ["--strategies", "redis", "--persistence", "none,rdb,aof-everysec,aof-always"], out var args, out var errors), string.Join("; ", errors));

        Assert.Equal(RedisPersistence.All, args.Persistence);
    }

    [Fact]
    public void TryParse_BenchStoreProxyUnknown_IsAnError()
    {
        Assert.False(BenchArguments.TryParse(["--store-proxy", "sometimes"], out _, out var errors));
        Assert.Contains(errors, e => e.Contains("--store-proxy", StringComparison.Ordinal));
    }
}
