using System.Diagnostics;
using System.Globalization;

namespace Stickless.Lab.Deployment;

/// <summary>
/// Builds Festa once into <see cref="LabPaths.FestaDirectory"/> with <c>dotnet build -c Release -o</c>, and
/// again only when a source file is newer than the last build. The ASP.NET Core peer is built the same way.
/// </summary>
internal static class FestaBuild
{
    private static readonly string[] SourceExtensions = [".cs", ".csproj", ".props", ".targets", ".json", ".html", ".css", ".js", ".lua", ".svg"];
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>The path of Festa.dll, built if needed.</summary>
    /// <exception cref="LabException">The build failed; the message holds the end of its output.</exception>
    public static Task<string> EnsureAsync(LabPaths paths, ILabLog log, CancellationToken cancellationToken) =>
        EnsureAsync(paths, "Festa", paths.FestaProject, "Festa.csproj", paths.FestaDirectory,
            [paths.FestaProject, Path.Combine(paths.RepositoryRoot, "src")], log, cancellationToken);

    /// <summary>
    /// The path of <paramref name="project"/>'s assembly built into <paramref name="output"/>, built if a file under
    /// <paramref name="sourceRoots"/> (or a repository-wide build file) is newer than the last build.
    /// </summary>
    /// <param name="paths">The lab's folders.</param>
    /// <param name="label">What is built, for the log.</param>
    /// <param name="projectDirectory">The project's folder.</param>
    /// <param name="project">The project file's name; the assembly is named after it.</param>
    /// <param name="output">The build output folder.</param>
    /// <param name="sourceRoots">The folders whose files the build depends on.</param>
    /// <param name="log">Where to say that a build runs.</param>
    /// <param name="cancellationToken">Stops waiting (and kills the build).</param>
    /// <exception cref="LabException">The build failed; the message holds the end of its output.</exception>
    public static async Task<string> EnsureAsync(LabPaths paths, string label, string projectDirectory, string project, string output,
        IReadOnlyList<string> sourceRoots, ILabLog log, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(output, Path.GetFileNameWithoutExtension(project) + ".dll");
        var stamp = Path.Combine(output, ".stickless-build");
        if (!File.Exists(Path.Combine(projectDirectory, project)))
        {
            throw new LabException($"no {label} project at {projectDirectory}.");
        }

        await InProcess.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(output);

            // Another lab process (a test, a second terminal) may be building right now: one build at a time.
            using var crossProcess = await LockAsync(Path.Combine(Path.GetDirectoryName(output)!, ".festa-build.lock"), cancellationToken).ConfigureAwait(false);
            var newest = NewestSource(paths, sourceRoots);
            if (File.Exists(dll) && File.Exists(stamp)
                && long.TryParse(File.ReadAllText(stamp), NumberStyles.None, CultureInfo.InvariantCulture, out var built)
                && built >= newest)
            {
                return dll;
            }

            log.Info($"building {label} (dotnet build -c Release)");
            var logPath = Path.Combine(Path.GetDirectoryName(output)!, Path.GetFileName(output) + "-build.log");
            await RunBuildAsync(paths, Path.Combine(projectDirectory, project), label, output, logPath, cancellationToken).ConfigureAwait(false);
            File.WriteAllText(stamp, newest.ToString(CultureInfo.InvariantCulture));
            return dll;
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static long NewestSource(LabPaths paths, IReadOnlyList<string> roots)
    {
        var newest = RootFiles
            .Select(f => Path.Combine(paths.RepositoryRoot, f))
            .Where(File.Exists)
            .Select(f => File.GetLastWriteTimeUtc(f).Ticks)
            .DefaultIfEmpty(0)
            .Max();
        foreach (var root in roots.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                // The lab itself is not part of Festa, and build output is not source.
                if (file.Contains("/bin/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal)
                    || file.Contains("/Stickless.Lab/", StringComparison.Ordinal) || file.Contains("/node_modules/", StringComparison.Ordinal)
                    || !SourceExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                newest = Math.Max(newest, File.GetLastWriteTimeUtc(file).Ticks);
            }
        }

        return newest;
    }

    private static async Task RunBuildAsync(LabPaths paths, string project, string label, string output, string logPath, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = paths.RepositoryRoot,
        };
        // No build servers: nothing the lab starts may outlive it.
        foreach (var argument in new[] { "build", project, "-c", "Release", "-o", output, "-nologo", "-v", "quiet", "-m:1", "--disable-build-servers" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new LabException("dotnet did not start.");
        var standardOutput = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var standardError = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var text = await standardOutput.ConfigureAwait(false) + await standardError.ConfigureAwait(false);
        await File.WriteAllTextAsync(logPath, text, cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
            throw new LabException($"building {label} failed (full output in {logPath}):{Environment.NewLine}{tail}");
        }
    }

    /// <summary>Holds the lab's build lock (one build or install at a time, across processes) until disposed.</summary>
    internal static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
