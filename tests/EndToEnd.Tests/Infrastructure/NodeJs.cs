using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>Runs Node.js tools (the browser check) as child processes with a bounded run time.</summary>
public static class NodeJs
{
    /// <summary>The path of <c>node</c> on PATH, or null when Node.js is not installed.</summary>
    public static string? NodePath { get; } = FindOnPath("node");

    /// <summary>The path of <c>npm</c> on PATH, or null.</summary>
    public static string? NpmPath { get; } = FindOnPath("npm");

    /// <summary>Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/>; kills it (tree) after <paramref name="timeout"/>.</summary>
    /// <returns>The exit code and everything it wrote.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{fileName} timed out after {timeout}.{Environment.NewLine}{await stdout}{await stderr}");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
