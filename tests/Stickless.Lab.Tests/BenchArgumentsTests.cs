using Stickless.Lab.Bench;
using Stickless.Lab.Chaos;
using Stickless.Lab.Report;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>Command-line parsing of bench, chaos and report (pure logic).</summary>
public sealed class BenchArgumentsTests
{
    [Fact]
    public void TryParse_NoArguments_UsesDefaults()
    {
        Assert.True(BenchArguments.TryParse([], out var args, out var errors));
        Assert.Empty(errors);
        Assert.Equal(["local", "sticky", "redis"], args.Strategies);
        Assert.Equal(40, args.Users);
        Assert.Equal(TimeSpan.FromSeconds(20), args.Duration);
        Assert.Equal(3, args.Nodes);
        Assert.Equal(0, args.DashboardPort);
    }

    [Theory]
    [InlineData("off", null)]
    [InlineData("0", 0)]
    [InlineData("8099", 8099)]
    public void TryParse_DashboardPort_ReadsPortOrOff(string text, int? expected)
    {
        Assert.True(BenchArguments.TryParse(["--dashboard-port", text], out var args, out var errors), string.Join("; ", errors));
        Assert.Equal(expected, args.DashboardPort);
    }

    [Fact]
    public void TryParse_DashboardPortOutOfRange_IsAnError()
    {
        Assert.False(BenchArguments.TryParse(["--dashboard-port", "70000"], out _, out var errors));
        Assert.Contains(errors, e => e.Contains("--dashboard-port", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_EveryOption_ReadsThem()
    {
        Assert.True(BenchArguments.TryParse(
            ["--strategies", "local,sticky", "--users=8", "--duration", "6s", "--nodes", "2", "--out", "/tmp/x", "--seed", "7"],
            out var args,
            out _));
        Assert.Equal(["local", "sticky"], args.Strategies);
        Assert.Equal(8, args.Users);
        Assert.Equal(TimeSpan.FromSeconds(6), args.Duration);
        Assert.Equal(2, args.Nodes);
        Assert.Equal("/tmp/x", args.OutDirectory);
        Assert.Equal(7, args.Seed);
    }

    [Fact]
    public void TryParse_SeveralMistakes_ListsEveryOne()
    {
        Assert.False(BenchArguments.TryParse(["--users", "0", "--duration", "soon", "--colour", "red", "stray"], out _, out var errors));
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void ChaosTryParse_UnknownFault_IsAnErrorNamingTheKnownOnes()
    {
        Assert.False(ChaosArguments.TryParse(["--strategy", "sticky", "--fault", "meteor"], out _, out var errors));
        Assert.Contains(errors, e => e.Contains("kill-node", StringComparison.Ordinal));
    }

    [Fact]
    public void ChaosTryParse_KillNode_ReadsFaultAt()
    {
        Assert.True(ChaosArguments.TryParse(["--strategy", "redis", "--fault", "kill-node", "--fault-at", "0.5"], out var args, out _));
        Assert.Equal("redis", args.Strategy);
        Assert.Equal(0.5, args.FaultAt);
    }

    [Fact]
    public void FaultRegistry_Register_MakesANewFaultAvailableByName()
    {
        FaultRegistry.Register("test-noop", static () => new KillNodeFault());
        Assert.Contains("test-noop", FaultRegistry.Names);
        Assert.True(FaultRegistry.TryCreate("test-noop", out _));
    }

    [Fact]
    public void ReportTryParse_In_ReadsTheFolder()
    {
        Assert.True(ReportArguments.TryParse(["--in", "out"], out var args, out _));
        Assert.Equal("out", args.InDirectory);
    }
}
