namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two nodes of a peer (the Festa contract on another session layer) on one real redis-server, sharing one users file
/// as the lab's nodes do. Started once per test class; everything is stopped by pid at the end.
/// </summary>
public abstract class PeerPair : IAsyncLifetime
{
    /// <summary>PBKDF2 iterations for users the peers create: the tests measure sessions, not hashing (as the lab does).</summary>
    public const int PasswordIterations = 10_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("festa-peer-e2e-").FullName;
    private TestRedisServer? _redis;

    /// <summary>The session cookie's name (<c>.AspNetCore.Session</c>, <c>connect.sid</c>).</summary>
    public abstract string CookieName { get; }

    /// <summary>The first node.</summary>
    public FestaNode A { get; private set; } = null!;

    /// <summary>The second node.</summary>
    public FestaNode B { get; private set; } = null!;

    /// <summary>The shared users file.</summary>
    public string UsersFile => Path.Combine(_directory, "users.jsonl");

    /// <summary>The folder the pair writes in (users file, Redis, secrets).</summary>
    protected string WorkDirectory => _directory;

    /// <summary>The Redis port.</summary>
    protected int RedisPort => _redis!.Port;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await PrepareAsync();
        _redis = await TestRedisServer.StartAsync(_directory);

        // Started together on purpose: both seed the demo users into the same file at once.
        var a = StartNodeAsync("peer-a");
        var b = StartNodeAsync("peer-b");
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

    /// <summary>A client of <paramref name="node"/> whose jar holds the session cookie <paramref name="value"/>, as a browser sent elsewhere by the balancer.</summary>
    public FestaClient ClientWithSession(FestaNode node, string value)
    {
        var client = node.CreateClient();
        client.Cookies.Add(node.BaseAddress, new System.Net.Cookie(CookieName, value));
        return client;
    }

    /// <summary>The session cookie's value in <paramref name="client"/>'s jar, or null.</summary>
    public string? SessionCookie(FestaClient client) =>
        client.Cookies.GetCookies(client.BaseAddress)[CookieName]?.Value is { Length: > 0 } value ? value : null;

    /// <summary>A Cookie header carrying <paramref name="value"/> as the session cookie.</summary>
    public string CookieHeader(string value) => $"{CookieName}={value}";

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

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
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

    /// <summary>Installs or checks what the peer needs before anything starts.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Starts one node named <paramref name="name"/>.</summary>
    protected abstract Task<FestaNode> StartNodeAsync(string name);
}
