using Stickless.Lab.Deployment;
using Xunit;

namespace Stickless.Lab.Tests;

/// <summary>
/// A private lab folder for the bench and chaos tests that start real deployments, and the pids
/// they started, so each test can check that nothing it started is left running.
/// </summary>
public sealed class BenchFixture : IDisposable
{
    /// <summary>The xunit collection that runs the process tests one at a time (the machine has few cores).</summary>
    public const string Collection = "Bench and chaos processes";

    public BenchFixture()
    {
        LabDirectory = Directory.CreateTempSubdirectory("stickless-bench-lab-").FullName;
        Paths = LabPaths.Resolve(LabDirectory);
    }

    public string LabDirectory { get; }

    internal LabPaths Paths { get; }

    /// <summary>A new output folder under the lab folder.</summary>
    public string NewOutDirectory() => Directory.CreateDirectory(Path.Combine(LabDirectory, "out-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <summary>Pid files still in the lab folder: a process the lab started and did not stop.</summary>
    public IReadOnlyList<string> LeftoverPidFiles() =>
        Directory.Exists(Paths.PidDirectory) ? Directory.GetFiles(Paths.PidDirectory) : [];

    /// <summary>True when a process with this pid exists (not a zombie).</summary>
    public static bool IsRunning(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }

        try
        {
            return !File.ReadLines(status).Any(static l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(LabDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(BenchFixture.Collection)]
public sealed class BenchProcessCollection : ICollectionFixture<BenchFixture>;
