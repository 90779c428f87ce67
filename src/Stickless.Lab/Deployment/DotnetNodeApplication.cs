namespace Stickless.Lab.Deployment;

/// <summary>An ASP.NET Core application built from the repository (<see cref="FestaBuild"/>) and run as <c>dotnet App.dll</c>.</summary>
internal sealed class DotnetNodeApplication : ILabNodeApplication
{
    private readonly Func<LabPaths, ILabLog, CancellationToken, Task<string>> build;

    private DotnetNodeApplication(string name, Func<LabPaths, ILabLog, CancellationToken, Task<string>> build)
    {
        Name = name;
        this.build = build;
    }

    /// <summary>Festa on Stickless: what every Stickless strategy runs.</summary>
    public static DotnetNodeApplication Festa { get; } = new("Festa", FestaBuild.EnsureAsync);

    /// <summary>The ASP.NET Core peer: ASP.NET Core Session over RedisCache (<c>samples/peers/aspnetcore-redis</c>).</summary>
    public static DotnetNodeApplication AspNetCoreRedisPeer { get; } = new("the ASP.NET Core peer", (paths, log, ct) =>
    {
        var project = paths.PeerProject("aspnetcore-redis");
        return FestaBuild.EnsureAsync(paths, "the ASP.NET Core peer", project, "AspNetCoreRedisPeer.csproj", paths.PeerBuildDirectory("aspnetcore-redis"),
            [project, paths.FestaProject], log, ct);
    });

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<LabTool> RequiredTools => [];

    /// <inheritdoc/>
    public async Task<LabNodeProgram> PrepareAsync(LabPaths paths, IReadOnlyDictionary<string, string> tools, ILabLog log, CancellationToken cancellationToken)
    {
        var dll = await build(paths, log, cancellationToken).ConfigureAwait(false);
        return new LabNodeProgram("dotnet", [dll], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Several nodes share a few cores: workstation GC keeps each one small.
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        });
    }
}
