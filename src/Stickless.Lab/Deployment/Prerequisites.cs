using System.Diagnostics;

namespace Stickless.Lab.Deployment;

/// <summary>Makes sure the programs a deployment runs are installed: apt-get as root, else says exactly what to install.</summary>
internal static class Prerequisites
{
    /// <summary>Returns the full path of each tool, installing the missing ones where it can.</summary>
    /// <exception cref="LabException">A tool is missing and cannot be installed here; the message says what to run.</exception>
    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(IEnumerable<LabTool> tools, ILabLog log, CancellationToken cancellationToken)
    {
        var wanted = tools.Distinct().ToList();
        var missing = wanted.Where(t => t.Locate() is null).ToList();
        if (missing.Count > 0)
        {
            var packages = string.Join(' ', missing.Select(t => t.AptPackage).Distinct());
            var apt = File.Exists("/usr/bin/apt-get");
            if (!Environment.IsPrivilegedProcess || !apt)
            {
                var how = apt ? $"sudo apt-get install -y {packages}" : $"install {packages} with your system's package manager";
                throw new LabException($"missing {string.Join(", ", missing.Select(t => t.Executable))}: {how}");
            }

            log.Info($"installing {packages} (apt-get)");
            if (!await RunAptAsync(["install", "-y", .. packages.Split(' ')], cancellationToken).ConfigureAwait(false))
            {
                // A fresh image often has no package lists yet: fetch them once and try again.
                log.Info("apt-get install failed; running apt-get update and trying again");
                await RunAptAsync(["update"], cancellationToken).ConfigureAwait(false);
                if (!await RunAptAsync(["install", "-y", .. packages.Split(' ')], cancellationToken).ConfigureAwait(false))
                {
                    throw new LabException($"apt-get install -y {packages} failed; install them and run the lab again.");
                }
            }
        }

        var located = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in wanted)
        {
            located[tool.Executable] = tool.Locate() ?? throw new LabException($"{tool.Executable} is still missing after installing {tool.AptPackage}.");
        }

        return located;
    }

    private static async Task<bool> RunAptAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("apt-get")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(output, error).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = (await error.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3);
            Console.Error.WriteLine(string.Join(Environment.NewLine, tail));
        }

        return process.ExitCode == 0;
    }
}
