using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.TwoNodes;

/// <summary>
/// Two Festa nodes on one real redis-server (<c>Stickless:Store=Redis</c>): the server runs on a free
/// loopback port in a temporary folder; everything is stopped by pid at the end.
/// </summary>
public sealed class RedisFestaPair : IFestaPair, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("festa-redis-e2e-").FullName;
    private RedisProcess? _redis;

    /// <summary>The first node, "festa-redis-a".</summary>
    public FestaNode A { get; private set; } = null!;

    /// <summary>The second node, "festa-redis-b".</summary>
    public FestaNode B { get; private set; } = null!;

    /// <summary>The Redis port.</summary>
    public int RedisPort => _redis?.Port ?? 0;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        var users = Path.Combine(_directory, "users.jsonl");
        string[] redis = ["--Stickless:Store=Redis", $"--Stickless:Redis:Configuration={_redis.Endpoint}"];
        A = await FestaNode.StartAsync("festa-redis-a", users, redis);
        B = await FestaNode.StartAsync("festa-redis-b", users, redis);
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
}
