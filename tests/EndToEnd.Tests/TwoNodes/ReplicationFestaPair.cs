using System.Globalization;
using EndToEnd.Tests.Infrastructure;
using Stickless.Testing;

namespace EndToEnd.Tests.TwoNodes;

/// <summary>
/// Two Festa nodes that are each other's replication peers (<c>Stickless:Store=Replication</c>) in <paramref name="mode"/>:
/// no external store. They start together, since a node is ready only once it has heard from its peer.
/// </summary>
public abstract class ReplicationFestaPair(string mode) : IFestaPair, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("festa-replication-e2e-").FullName;

    /// <inheritdoc />
    public FestaNode A { get; private set; } = null!;

    /// <inheritdoc />
    public FestaNode B { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var users = Path.Combine(_directory, "users.jsonl");
        var ports = new[] { LoopbackPorts.Next(), LoopbackPorts.Next() };
        List<string> Arguments(int self)
        {
            List<string> arguments =
            [
                "--urls", $"http://127.0.0.1:{ports[self].ToString(CultureInfo.InvariantCulture)}",
                "--Stickless:Store=Replication",
                $"--Stickless:Replication:Mode={mode}",
                $"--Stickless:Replication:NodeId=node{self}",
                "--Stickless:Replication:Secret=end-to-end-replication-secret",
            ];
            for (var i = 0; i < ports.Length; i++)
            {
                arguments.Add($"--Stickless:Replication:Peers:{i}:NodeId=node{i}");
                arguments.Add($"--Stickless:Replication:Peers:{i}:Url=http://127.0.0.1:{ports[i].ToString(CultureInfo.InvariantCulture)}");
            }

            return arguments;
        }

        var a = FestaNode.StartAsync($"festa-{mode.ToLowerInvariant()}-a", users, Arguments(0));
        var b = FestaNode.StartAsync($"festa-{mode.ToLowerInvariant()}-b", users, Arguments(1));
        try
        {
            await Task.WhenAll(a, b);
        }
        finally
        {
            A = a.IsCompletedSuccessfully ? a.Result : null!;
            B = b.IsCompletedSuccessfully ? b.Result : null!;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

}

/// <summary>All-to-all replication between the two nodes.</summary>
public sealed class AllToAllFestaPair() : ReplicationFestaPair("AllToAll");

/// <summary>Primary-backup replication between the two nodes.</summary>
public sealed class PrimaryBackupFestaPair() : ReplicationFestaPair("PrimaryBackup");
