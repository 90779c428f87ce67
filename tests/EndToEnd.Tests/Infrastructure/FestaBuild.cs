using System.Reflection;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Where the build put Festa and this project. The project file records both paths in assembly metadata
/// at build time (see EmbedFestaPath in EndToEnd.Tests.csproj), so `dotnet test` from a fresh clone finds
/// them whatever the artifacts folder or configuration. FESTA_DLL overrides the Festa path.
/// </summary>
public static class FestaBuild
{
    /// <summary>The full path of Festa.dll.</summary>
    public static string AssemblyPath { get; } = Locate();

    /// <summary>The full path of the ASP.NET Core peer's assembly (samples/peers/aspnetcore-redis), built with the tests.</summary>
    public static string AspNetCorePeerAssemblyPath => Metadata("AspNetCorePeerAssemblyPath");

    /// <summary>The express peer's folder (samples/peers/express-redis): server.mjs and its package-lock.json.</summary>
    public static string ExpressPeerDirectory => Metadata("ExpressPeerDirectory");

    /// <summary>The folder of EndToEnd.Tests.csproj (browser/check.mjs lives under it).</summary>
    public static string ProjectDirectory { get; } = Metadata("EndToEndProjectDirectory");

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("FESTA_DLL") is { Length: > 0 } overridden ? overridden : Metadata("FestaAssemblyPath");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Festa was not built where the test build recorded it ({path}). Build tests/EndToEnd.Tests (it builds samples/Festa), or set FESTA_DLL.", path);
    }

    private static string Metadata(string key) =>
        typeof(FestaBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata; it is written by EndToEnd.Tests.csproj.");
}
