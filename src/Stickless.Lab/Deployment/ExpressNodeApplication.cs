using System.Diagnostics;

namespace Stickless.Lab.Deployment;

/// <summary>
/// The express peer (<c>samples/peers/express-redis</c>) on Node.js: <c>npm ci</c> installs its packages from the
/// committed <c>package-lock.json</c> the first time (and after the lock file changes), then each node runs
/// <c>node server.mjs</c> from the repository.
/// </summary>
internal sealed class ExpressNodeApplication : ILabNodeApplication
{
    /// <summary>The peer's folder under <c>samples/peers</c>.</summary>
    public const string Folder = "express-redis";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The one instance.</summary>
    public static ExpressNodeApplication Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "the express peer";

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [LabTool.Node, LabTool.Npm];

    /// <inheritdoc/>
    public async Task<LabNodeProgram> PrepareAsync(LabPaths paths, IReadOnlyDictionary<string, string> tools, ILabLog log, CancellationToken cancellationToken)
    {
        var project = paths.PeerProject(Folder);
        var script = Path.Combine(project, "server.mjs");
        if (!File.Exists(script))
        {
            throw new LabException($"no express peer at {project}.");
        }

        var buildRoot = Directory.CreateDirectory(Path.GetDirectoryName(paths.FestaDirectory)!).FullName;
        using (await FestaBuild.LockAsync(Path.Combine(buildRoot, ".festa-build.lock"), cancellationToken).ConfigureAwait(false))
        {
            if (!IsInstalled(project))
            {
                log.Info($"installing the express peer's packages (npm ci in {project})");
                await RunNpmCiAsync(tools[LabTool.Npm.Executable], project, cancellationToken).ConfigureAwait(false);
            }
        }

        return new LabNodeProgram(tools[LabTool.Node.Executable], [script], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // As it runs in production: express caches what it can and hides error details.
            ["NODE_ENV"] = "production",
        });
    }

    /// <summary>True when <c>node_modules</c> holds what the lock file names (npm writes its own copy of the lock there).</summary>
    internal static bool IsInstalled(string project)
    {
        var installed = Path.Combine(project, "node_modules", ".package-lock.json");
        return File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(Path.Combine(project, "package-lock.json"));
    }

    private static async Task RunNpmCiAsync(string npm, string project, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(npm)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = project,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new LabException("npm did not start.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new LabException($"npm ci in {project} did not finish within {InstallTimeout.TotalMinutes:0} minutes.");
        }

        var text = await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(10));
            throw new LabException($"npm ci in {project} failed (exit {process.ExitCode}):{Environment.NewLine}{tail}");
        }
    }
}
