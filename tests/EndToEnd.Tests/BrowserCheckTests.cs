using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) uses Festa's front page as a
/// person would; see browser/check.mjs. Installs the script's one npm package on first run.
/// </summary>
[Collection(FestaCollection.Name)]
public sealed class BrowserCheckTests(FestaCluster cluster, ITestOutputHelper output)
{
    /// <summary>Where the screenshot goes: FESTA_SCREENSHOT, else beside the test assembly.</summary>
    public static string ScreenshotPath =>
        Environment.GetEnvironmentVariable("FESTA_SCREENSHOT") is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(AppContext.BaseDirectory, "festa-browser-check.png");

    [NodeFact]
    public async Task FrontPage_InHeadlessChromium_SignUpLogInWishlistLogOut()
    {
        var browserFolder = Path.Combine(FestaBuild.ProjectDirectory, "browser");
        if (!File.Exists(Path.Combine(browserFolder, "node_modules", "playwright-core", "package.json")))
        {
            Assert.True(NodeJs.NpmPath is not null, "npm is needed once to install playwright-core (browser/package-lock.json).");
            var (code, log) = await NodeJs.RunAsync(NodeJs.NpmPath!, ["ci", "--no-audit", "--no-fund"], browserFolder, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"npm ci failed ({code}):{Environment.NewLine}{log}");
        }

        var screenshot = ScreenshotPath;
        File.Delete(screenshot);

        var (exitCode, outputText) = await NodeJs.RunAsync(
            NodeJs.NodePath!,
            [Path.Combine(browserFolder, "check.mjs"), cluster.A.BaseAddress.ToString(), screenshot],
            browserFolder,
            TimeSpan.FromSeconds(90));
        output.WriteLine(outputText);
        output.WriteLine($"Screenshot: {screenshot}");

        Assert.True(exitCode == 0, $"browser check failed ({exitCode}):{Environment.NewLine}{outputText}{Environment.NewLine}Festa output:{Environment.NewLine}{cluster.A.RecentOutput}");
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"screenshot is only {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
