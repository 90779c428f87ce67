namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two Festa nodes on the in-memory store that share one user directory file, as the lab's nodes do on
/// one machine. Sessions are per node here (in-memory store); users are shared. Started once for the
/// whole <see cref="FestaCollection"/>; stopped by pid at the end.
/// </summary>
public sealed class FestaCluster : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("festa-e2e-").FullName;

    /// <summary>The shared users file.</summary>
    public string UsersFile => Path.Combine(_directory, "users.jsonl");

    /// <summary>The first node, "festa-a"; most tests use only this one.</summary>
    public FestaNode A { get; private set; } = null!;

    /// <summary>The second node, "festa-b".</summary>
    public FestaNode B { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // Started together on purpose: both seed the demo users into the same file at once.
        var a = FestaNode.StartAsync("festa-a", UsersFile);
        var b = FestaNode.StartAsync("festa-b", UsersFile);
        try
        {
            await Task.WhenAll(a, b);
        }
        catch
        {
            foreach (var started in new[] { a, b }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        A = a.Result;
        B = b.Result;
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
