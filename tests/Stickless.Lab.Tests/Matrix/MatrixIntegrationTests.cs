using Stickless.Lab.Chaos;
using Xunit;

namespace Stickless.Lab.Tests.Matrix;

/// <summary><c>stickless chaos --matrix</c> narrowed to one cell, for real.</summary>
[Collection(BenchFixture.Collection)]
public sealed class MatrixIntegrationTests
{
    private readonly BenchFixture _fixture;

    public MatrixIntegrationTests(BenchFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RunAsync_OneCell_WritesTheMatrixAndTheReportAndHoldsTheCellToItsPromise()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var output = new StringWriter();
        var outDirectory = _fixture.NewOutDirectory();
        Assert.True(ChaosArguments.TryParse(
            ["--matrix", "--strategies", "redis", "--faults", "blackhole-store", "--users", "10", "--budget", "10", "--out", outDirectory, "--lab-dir", _fixture.LabDirectory],
            out var args, out var errors), string.Join("; ", errors));

        var exit = await ChaosCommand.RunAsync(args, new LabTestLog(), TextWriter.Null, output, TimeProvider.System, timeout.Token);

        var markdown = await File.ReadAllTextAsync(Path.Combine(outDirectory, "matrix.md"), timeout.Token);
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("| redis | blackhole-store |", markdown, StringComparison.Ordinal);
        Assert.Contains("fail-closed within the store timeout", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDirectory, "matrix.json")));
        var html = await File.ReadAllTextAsync(Path.Combine(outDirectory, "report.html"), timeout.Token);
        Assert.Contains("Faults against what the design promises", html, StringComparison.Ordinal);
        Assert.Empty(_fixture.LeftoverPidFiles());
    }
}
