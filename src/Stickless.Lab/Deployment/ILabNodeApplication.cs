namespace Stickless.Lab.Deployment;

/// <summary>
/// The program each node of a deployment runs: Festa for Stickless's strategies, or a peer (the same HTTP contract on
/// the session layer users would pick instead). Every node is started with Festa's command line (<c>--urls</c>,
/// <c>--Festa:NodeName</c>, <c>--Festa:UsersFile</c>, <c>--Festa:PasswordIterations</c>, then the strategy's keys).
/// </summary>
internal interface ILabNodeApplication
{
    /// <summary>What runs, for the log (<c>Festa</c>, <c>the ASP.NET Core peer</c>).</summary>
    string Name { get; }

    /// <summary>Programs it needs beside those of the strategy.</summary>
    IReadOnlyList<LabTool> RequiredTools { get; }

    /// <summary>Builds or installs the program when needed and says how to start it.</summary>
    /// <param name="paths">The lab's folders.</param>
    /// <param name="tools">The full path of each required tool, by executable name.</param>
    /// <param name="log">Where to say what it does.</param>
    /// <param name="cancellationToken">Stops the build or install.</param>
    /// <exception cref="LabException">The build or install failed.</exception>
    Task<LabNodeProgram> PrepareAsync(LabPaths paths, IReadOnlyDictionary<string, string> tools, ILabLog log, CancellationToken cancellationToken);
}
