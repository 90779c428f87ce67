namespace EndToEnd.Tests.Infrastructure;

/// <summary>The <c>dotnet</c> executable that runs the tests, used to start Festa.dll.</summary>
public static class DotnetHost
{
    /// <summary>DOTNET_HOST_PATH (set by the dotnet CLI), else this process when it is dotnet, else <c>dotnet</c> from PATH.</summary>
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
