using System.Globalization;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>Two nodes of the ASP.NET Core peer (ASP.NET Core Session over RedisCache) on one Redis.</summary>
public sealed class AspNetCoreRedisPeerPair : PeerPair
{
    /// <inheritdoc />
    public override string CookieName => ".AspNetCore.Session";

    /// <inheritdoc />
    protected override Task<FestaNode> StartNodeAsync(string name) =>
        FestaNode.StartProgramAsync(name, DotnetHost.Path, [FestaBuild.AspNetCorePeerAssemblyPath], UsersFile,
        [
            $"--ConnectionStrings:Redis=127.0.0.1:{RedisPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Festa:PasswordIterations={PasswordIterations.ToString(CultureInfo.InvariantCulture)}",
        ]);
}
