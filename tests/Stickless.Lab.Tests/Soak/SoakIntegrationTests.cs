using Stickless.Lab.Soak;
using Xunit;

namespace Stickless.Lab.Tests.Soak;

/// <summary>A short soak (40 s, a fault every 12 s) on three Festa nodes and one Redis.</summary>
[Collection(BenchFixture.Collection)]
public sealed class SoakIntegrationTests
{
    private readonly BenchFixture _fixture;

    public SoakIntegrationTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunAsync_ShortSoakOnRedis_EachFaultMeasuredAndHeldToItsPromiseAndTheKilledNodeRestored()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var log = new LabTestLog();
        var args = new SoakArguments
        {
            Strategy = "redis",
            Duration = TimeSpan.FromSeconds(40),
            FaultEvery = TimeSpan.FromSeconds(12),
            Faults = ["kill-node", "slow-store"],
            Users = 10,
            LabDirectory = _fixture.LabDirectory,
        };

        var result = await new SoakRunner(log, TextWriter.Null, TimeProvider.System).RunAsync(args, timeout.Token);

        var summary = SoakReport.Markdown(result) + "\n" + log;
        Assert.Equal(["kill-node", "slow-store"], result.Faults.Select(static f => f.Window.Fault));
        Assert.Equal("aof-everysec", result.Persistence);
        var kill = result.Faults[0];
        Assert.Single(kill.Restored);
        Assert.StartsWith(kill.Window.FaultTarget!, kill.Restored[0], StringComparison.Ordinal);
        Assert.All(result.Faults, f => Assert.True(f.Promise.Kept == true, $"{f.Window.Fault}: {f.Promise.Measured}\n{summary}"));
        Assert.All(result.Faults, static f => Assert.True(f.Window.Requests > 0));
        Assert.InRange(result.Faults[1].Window.FaultAtSeconds!.Value, 23.5, 26);
        Assert.Equal(0, result.Totals.WrongUser);
        var restarted = result.Processes.Single(p => p.Name == kill.Window.FaultTarget);
        Assert.Equal(2, restarted.Pids.Count);
        Assert.All(result.Processes, static p => Assert.True(p.Samples > 0, p.Name));
        Assert.Empty(_fixture.LeftoverPidFiles());
    }

    [Fact]
    public void TryParse_BadOptions_EveryOneListed()
    {
        Assert.False(SoakArguments.TryParse(["--faults", "kill-node,no-such-fault", "--duration", "30", "--fault-every", "60", "--persistence", "rdb,none"], out _, out var errors));

        Assert.Contains(errors, static e => e.Contains("no-such-fault", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("leaves no fault", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("one setting", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultFaults_EveryStrategy_KnownFaultsOnly()
    {
        foreach (var strategy in Stickless.Lab.Deployment.LabStrategies.All)
        {
            var faults = SoakPlan.DefaultFaults(strategy);
            Assert.NotEmpty(faults);
            Assert.All(faults, f => Assert.True(Stickless.Lab.Chaos.FaultRegistry.TryCreate(f, out _), $"{strategy.Name}: {f}"));
        }
    }
}
