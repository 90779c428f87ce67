using System.Globalization;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two nodes of the express peer (express-session + connect-redis on Node.js) on one Redis, signing cookies with one
/// secret. Installs the peer's packages (<c>npm ci</c> from its package-lock.json) when they are missing.
/// </summary>
public sealed class ExpressRedisPeerPair : PeerPair
{
    /// <inheritdoc />
    public override string CookieName => "connect.sid";

    private string SecretFile => Path.Combine(WorkDirectory, "session-secret");

    /// <inheritdoc />
    protected override async Task PrepareAsync()
    {
        if (NodeJs.NodePath is null)
        {
            throw new InvalidOperationException("Node.js (node) is not installed; the express peer needs it (apt-get install -y nodejs npm).");
        }

        var folder = FestaBuild.ExpressPeerDirectory;
        var installed = Path.Combine(folder, "node_modules", ".package-lock.json");
        if (!File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(folder, "package-lock.json")))
        {
            Assert.True(NodeJs.NpmPath is not null, "npm is needed once to install the express peer's packages (package-lock.json).");
            var (code, log) = await NodeJs.RunAsync(NodeJs.NpmPath!, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, $"npm ci failed ({code}):{Environment.NewLine}{log}");
        }

        await File.WriteAllTextAsync(SecretFile, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    }

    /// <inheritdoc />
    protected override Task<FestaNode> StartNodeAsync(string name) =>
        FestaNode.StartProgramAsync(name, NodeJs.NodePath!, [Path.Combine(FestaBuild.ExpressPeerDirectory, "server.mjs")], UsersFile,
        [
            $"--Redis:Url=redis://127.0.0.1:{RedisPort.ToString(CultureInfo.InvariantCulture)}",
            $"--Session:SecretFile={SecretFile}",
            $"--Festa:PasswordIterations={PasswordIterations.ToString(CultureInfo.InvariantCulture)}",
        ]);
}
