namespace Stickless.Lab.Deployment;

/// <summary>
/// Where the lab keeps its state: <c>.lab/</c> under the repository (or <c>STICKLESS_LAB_DIR</c>) holds
/// <c>pids/</c>, <c>run/&lt;strategy&gt;/</c> and <c>state.json</c>; Festa is built into <c>.lab/bin/festa</c>.
/// </summary>
/// <param name="RepositoryRoot">The Stickless repository (the folder with <c>samples/Festa</c>).</param>
/// <param name="LabDirectory">The lab's state folder.</param>
internal sealed record LabPaths(string RepositoryRoot, string LabDirectory)
{
    /// <summary>Environment variable that moves the lab's state folder.</summary>
    public const string LabDirectoryVariable = "STICKLESS_LAB_DIR";

    /// <summary>Environment variable that names the repository (the wrapper script sets it).</summary>
    public const string RepositoryVariable = "STICKLESS_REPO";

    /// <summary>Environment variable that moves Festa's build output.</summary>
    public const string FestaDirectoryVariable = "STICKLESS_FESTA_DIR";

    /// <summary>One pid file per running process the lab started.</summary>
    public string PidDirectory => Path.Combine(LabDirectory, "pids");

    /// <summary>Holds one run directory per strategy.</summary>
    public string RunRoot => Path.Combine(LabDirectory, "run");

    /// <summary>What the running <c>up</c> serves, for <c>status</c>.</summary>
    public string StateFile => Path.Combine(LabDirectory, "state.json");

    /// <summary>Festa's project folder.</summary>
    public string FestaProject => Path.Combine(RepositoryRoot, "samples", "Festa");

    /// <summary>Festa's build output: shared by every lab folder of the repository, unless <c>STICKLESS_FESTA_DIR</c> says otherwise.</summary>
    public string FestaDirectory =>
        Environment.GetEnvironmentVariable(FestaDirectoryVariable) is { Length: > 0 } directory
            ? Path.GetFullPath(directory)
            : Path.Combine(RepositoryRoot, ".lab", "bin", "festa");

    /// <summary>The folder of a peer application (<c>samples/peers/&lt;name&gt;</c>).</summary>
    public string PeerProject(string name) => Path.Combine(RepositoryRoot, "samples", "peers", name);

    /// <summary>Where a peer application is built: beside Festa's build output.</summary>
    public string PeerBuildDirectory(string name) => Path.Combine(Path.GetDirectoryName(FestaDirectory)!, name);

    /// <summary>The run directory of a strategy.</summary>
    public string RunDirectory(string strategy) => Path.Combine(RunRoot, strategy);

    /// <summary>Finds the repository and the lab folder from the environment, the working folder or the lab's own location.</summary>
    /// <param name="labDirectory">The lab folder; default <c>STICKLESS_LAB_DIR</c>, else <c>&lt;repo&gt;/.lab</c>.</param>
    /// <exception cref="LabException">No Stickless repository around.</exception>
    public static LabPaths Resolve(string? labDirectory = null)
    {
        var root = FindRepositoryRoot();
        labDirectory ??= Environment.GetEnvironmentVariable(LabDirectoryVariable);
        return new LabPaths(root, Path.GetFullPath(string.IsNullOrEmpty(labDirectory) ? Path.Combine(root, ".lab") : labDirectory));
    }

    private static string FindRepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable(RepositoryVariable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (IsRepository(directory.FullName))
                {
                    return directory.FullName;
                }
            }
        }

        // Built elsewhere (an artifacts folder, a test run): the build recorded where the sources were.
        var recorded = typeof(LabPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SticklessRepository")?.Value;
        if (recorded is not null && IsRepository(recorded))
        {
            return recorded;
        }

        throw new LabException($"cannot find the Stickless repository (a folder with samples/Festa) from {Directory.GetCurrentDirectory()}; run the lab from the repository or set {RepositoryVariable}.");
    }

    private static bool IsRepository(string directory) =>
        Directory.Exists(Path.Combine(directory, "samples", "Festa")) && File.Exists(Path.Combine(directory, "Directory.Build.props"));
}
