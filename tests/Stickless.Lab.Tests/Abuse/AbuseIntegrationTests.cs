using Stickless.Lab.Abuse;
using Xunit;

namespace Stickless.Lab.Tests.Abuse;

/// <summary>A short abuse run against three Festa nodes on one Redis, behind HAProxy.</summary>
[Collection(BenchFixture.Collection)]
public sealed class AbuseIntegrationTests
{
    private readonly BenchFixture _fixture;

    public AbuseIntegrationTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunOnceAsync_ShortAbuseOnRedis_No5xxNoHangNoLeakNoCrash()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var log = new LabTestLog();
        var args = new AbuseArguments
        {
            Strategy = "redis",
            Nodes = 2,
            Duration = TimeSpan.FromSeconds(15),
            Attackers = 3,
            SlowClients = 2,
            Users = 3,
            LabDirectory = _fixture.LabDirectory,
        };

        var result = await AbuseCommand.RunOnceAsync(args, log, TextWriter.Null, TimeProvider.System, timeout.Token);

        var summary = AbuseReport.Markdown(result) + "\n" + log;
        Assert.True(result.HostileRequests > 500, summary);
        Assert.Equal(0, result.Leaks);
        Assert.Equal(0, result.Canary.Mismatches);
        Assert.True(result.ServerErrors == 0, summary);
        Assert.True(result.Hangs == 0, summary);
        Assert.True(result.Violations == 0, summary);
        Assert.Empty(result.Crashed);
        Assert.Equal(3, result.Canary.Users);
        Assert.True(result.Canary.Checks > 0, summary);
        Assert.All(HostileCatalogue.Kinds, kind => Assert.True(result.Attacks.Single(a => a.Kind == kind).Requests > 0, kind));
        Assert.Contains(result.Processes, static p => p.Name == "node1" && p.MemoryBytes is not null && p.Handles is not null);

        // Memory is reported, not asserted flat here: 15 s is all warm-up for a .NET process (the README has the long runs).
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
