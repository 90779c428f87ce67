using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>
/// Where the store's multiplexer comes from (see <see cref="RedisSessionStoreOptions"/>): one the application
/// owns (a factory, or DI, keyed or not), which Stickless uses as it is and never disposes; or one Stickless
/// opens from a connection string or <see cref="ConfigurationOptions"/> (a clone), which it owns. A Sentinel
/// configuration that Stickless opens itself is followed by a <see cref="RedisSentinelFollower"/>: the multiplexer is a
/// plain one to the master it names (see there why not StackExchange.Redis's Sentinel connection).
/// </summary>
internal sealed class RedisConnectionSource : IAsyncDisposable
{
    /// <summary>The name StackExchange.Redis adds to the library name each connection reports (CLIENT SETINFO).</summary>
    public const string LibraryNameSuffix = "stickless";

    private readonly Func<Task<IConnectionMultiplexer>>? _given;
    private readonly ConfigurationOptions? _owned;
    private readonly RedisSessionStoreOptions _options;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly bool _ownsFollower;

    private RedisConnectionSource(string description, Func<Task<IConnectionMultiplexer>>? given, ConfigurationOptions? owned, RedisSessionStoreOptions options, ILoggerFactory? loggerFactory, ILogger logger, TimeProvider time, RedisSentinelFollower? follower = null, bool ownsFollower = false)
    {
        Description = description;
        _given = given;
        _owned = owned;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = logger;
        _time = time;
        _ownsFollower = ownsFollower;
        if (owned is not null && IsSentinel(owned) && follower is null)
        {
            follower = CreateFollower(owned);
            _ownsFollower = true;
        }

        Follower = follower;
    }

    /// <summary>True when Stickless opens (and so disposes) the multiplexer.</summary>
    public bool OwnsMultiplexer => _owned is not null;

    /// <summary>What the store connects to, for logs and errors (never a password).</summary>
    public string Description { get; }

    /// <summary>Follows the Sentinel master for the multiplexers this source opens; null when it opens none, or no Sentinel configuration.</summary>
    public RedisSentinelFollower? Follower { get; }

    /// <summary>Picks the source the options name (see <see cref="RedisSessionStoreOptions"/> for the order).</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="services">For a multiplexer from DI; null outside DI.</param>
    /// <param name="loggerFactory">Given to connections Stickless opens when their options name no logger factory.</param>
    /// <param name="logger">The store's logger (Sentinel master changes).</param>
    /// <param name="time">The store's clock.</param>
    /// <exception cref="InvalidOperationException">The options name DI but there is none, or nothing names a connection.</exception>
    public static RedisConnectionSource Create(RedisSessionStoreOptions options, IServiceProvider? services, ILoggerFactory? loggerFactory, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            return new("the application's multiplexer (ConnectionMultiplexerFactory)", factory, null, options, loggerFactory, logger, time);
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionMultiplexerServiceKey))
        {
            var key = options.ConnectionMultiplexerServiceKey;
            var provider = services ?? throw new InvalidOperationException($"{nameof(RedisSessionStoreOptions.ConnectionMultiplexerServiceKey)} '{key}' needs the store to be created by dependency injection (AddRedis).");
            return new($"the IConnectionMultiplexer registered in DI with key '{key}'", () => Task.FromResult(provider.GetRequiredKeyedService<IConnectionMultiplexer>(key)), null, options, loggerFactory, logger, time);
        }

        if (options.ConfigurationOptions is { } given)
        {
            var clone = given.Clone();
            return new(clone.ToString(includePassword: false), null, clone, options, loggerFactory, logger, time);
        }

        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            var parsed = ConfigurationOptions.Parse(options.Configuration);
            return new(parsed.ToString(includePassword: false), null, parsed, options, loggerFactory, logger, time);
        }

        if (services?.GetService<IConnectionMultiplexer>() is not null)
        {
            return new("the IConnectionMultiplexer registered in DI", () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()), null, options, loggerFactory, logger, time);
        }

        throw new InvalidOperationException(
            "The Redis session store has no connection: set Stickless:Redis:Configuration (a connection string such as \"127.0.0.1:6379\"), " +
            "ConfigurationOptions, ConnectionMultiplexerFactory or ConnectionMultiplexerServiceKey, or register an IConnectionMultiplexer.");
    }

    /// <summary>
    /// Connects (or obtains the application's multiplexer) on a thread-pool thread: StackExchange.Redis's connect
    /// and Aspire's singleton factory may block, and no request thread may. Under Sentinel, connects to the master
    /// the follower names (asking the sentinels first if need be), and returns it.
    /// </summary>
    public async Task<(IConnectionMultiplexer Multiplexer, EndPoint? Master)> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_owned is not null)
        {
            EndPoint? master = null;
            var options = ForConnectionsWeOpen(_owned);
            if (Follower is not null)
            {
                master = await Follower.MasterAsync(cancellationToken).ConfigureAwait(false);
                options = ForConnectionsWeOpen(Follower.OptionsFor(master));
            }

            var multiplexer = await Task.Run(() => ConnectionMultiplexer.ConnectAsync(options), cancellationToken).ConfigureAwait(false);
            multiplexer.AddLibraryNameSuffix(LibraryNameSuffix);
            return (multiplexer, master);
        }

        var given = await Task.Run(_given!, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{Description} returned no multiplexer.");
        given.AddLibraryNameSuffix(LibraryNameSuffix);
        return (given, null);
    }

    /// <summary>
    /// Options for a connection Stickless opens beside the main one (the WAIT lanes): the same server and
    /// credentials. For an application's multiplexer they are read back from its configuration string, which
    /// carries no callbacks (certificate validation): name <see cref="RedisSessionStoreOptions.ConfigurationOptions"/>
    /// then instead.
    /// </summary>
    public ConfigurationOptions OptionsForOwnConnection(IConnectionMultiplexer main) =>
        ForConnectionsWeOpen(_owned?.Clone() ?? ConfigurationOptions.Parse(main.Configuration));

    /// <summary>
    /// A source for one more connection Stickless opens and owns, from <paramref name="options"/>; under Sentinel it
    /// follows <paramref name="follower"/> (shared, not owned by the new source).
    /// </summary>
    public RedisConnectionSource ForOwnConnection(ConfigurationOptions options, string role, RedisSentinelFollower? follower) =>
        new($"{Description} ({role})", null, options, _options, _loggerFactory, _logger, _time, follower, ownsFollower: false);

    /// <summary>A follower for connections opened with <paramref name="options"/> (a Sentinel configuration), owned by the caller.</summary>
    public RedisSentinelFollower CreateFollower(ConfigurationOptions options) =>
        new(ForConnectionsWeOpen(options), AskSentinelsTimeout, _logger, _time);

    // One question to the sentinels: they answer from memory, and a sentinel that is slow must not hold up the others' answer for long.
    private TimeSpan AskSentinelsTimeout => _options.OperationTimeout < TimeSpan.FromMilliseconds(500) ? _options.OperationTimeout : TimeSpan.FromMilliseconds(500);

    /// <summary>True for options that name a Sentinel service.</summary>
    public static bool IsSentinel(ConfigurationOptions options) => !string.IsNullOrEmpty(options.ServiceName);

    /// <summary>Releases the follower this source made (the multiplexers are its connections' to close).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsFollower && Follower is not null)
        {
            await Follower.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ConfigurationOptions ForConnectionsWeOpen(ConfigurationOptions template)
    {
        // A clone, so the caller's object never changes. One timeout model: a command's timeout is the store call's.
        var options = template.Clone();
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Milliseconds(_options.ConnectTimeout);
        options.AsyncTimeout = Milliseconds(_options.OperationTimeout);
        options.SyncTimeout = Milliseconds(_options.OperationTimeout);
        options.LoggerFactory ??= _loggerFactory;
        return options;
    }

    private static int Milliseconds(TimeSpan span) => (int)Math.Clamp(Math.Ceiling(span.TotalMilliseconds), 1, int.MaxValue);
}
