using System.Globalization;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// The store tests' class fixture: one real redis-server (<see cref="RedisServer"/>) per test class,
/// started before its first test and stopped by pid after its last. Assertions read the server through
/// redis-cli, so they never depend on the client under test.
/// </summary>
public sealed class RedisStoreServer : IAsyncLifetime
{
    private RedisServer? _server;

    public string Configuration => Server.Endpoint;

    /// <summary>The server process.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A started store on this server, sweeper off unless <paramref name="configure"/> turns it on; the caller disposes it.</summary>
    public RedisSessionStore CreateStore(Action<RedisSessionStoreOptions>? configure = null, SessionEventPublisher? events = null)
    {
        var options = new RedisSessionStoreOptions { Configuration = Configuration, SweepInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        var store = new RedisSessionStore(options, events);
        store.StartAsync(CancellationToken.None).GetAwaiter().GetResult(); // returns at once: it only arms timers
        return store;
    }

    /// <summary>Runs redis-cli against this server and returns its trimmed output.</summary>
    public Task<string> CliAsync(params string[] args) => Server.CliAsync(args);

    /// <summary>INFO commandstats as command → calls (the server's count, inner script commands included).</summary>
    public async Task<Dictionary<string, long>> CommandStatsAsync()
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (await CliAsync("INFO", "commandstats")).Split('\n'))
        {
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var count = line[(colon + 1)..].Split(',')[0]["calls=".Length..];
                calls[line[8..colon]] = long.Parse(count, CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}
