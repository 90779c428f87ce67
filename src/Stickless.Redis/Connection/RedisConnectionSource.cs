using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>
/// Where the store's multiplexer comes from (see <see cref="RedisSessionStoreOptions"/>): one the application
/// owns (a factory, or DI, keyed or not), which Stickless uses as it is and never disposes; or one Stickless
/// opens from a connection string or <see cref="ConfigurationOptions"/> (a clone), which it owns.
/// </summary>
internal sealed class RedisConnectionSource
{
    /// <summary>The name StackExchange.Redis adds to the library name each connection reports (CLIENT SETINFO).</summary>
    public const string LibraryNameSuffix = "stickless";

    private readonly Func<Task<IConnectionMultiplexer>>? _given;
    private readonly ConfigurationOptions? _owned;
    private readonly RedisSessionStoreOptions _options;
    private readonly ILoggerFactory? _loggerFactory;

    private RedisConnectionSource(string description, Func<Task<IConnectionMultiplexer>>? given, ConfigurationOptions? owned, RedisSessionStoreOptions options, ILoggerFactory? loggerFactory)
    {
        Description = description;
        _given = given;
        _owned = owned;
        _options = options;
        _loggerFactory = loggerFactory;
    }

    /// <summary>True when Stickless opens (and so disposes) the multiplexer.</summary>
    public bool OwnsMultiplexer => _owned is not null;

    /// <summary>What the store connects to, for logs and errors (never a password).</summary>
    public string Description { get; }

    /// <summary>Picks the source the options name (see <see cref="RedisSessionStoreOptions"/> for the order).</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="services">For a multiplexer from DI; null outside DI.</param>
    /// <param name="loggerFactory">Given to connections Stickless opens when their options name no logger factory.</param>
    /// <exception cref="InvalidOperationException">The options name DI but there is none, or nothing names a connection.</exception>
    public static RedisConnectionSource Create(RedisSessionStoreOptions options, IServiceProvider? services, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            return new("the application's multiplexer (ConnectionMultiplexerFactory)", factory, null, options, loggerFactory);
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionMultiplexerServiceKey))
        {
            var key = options.ConnectionMultiplexerServiceKey;
            var provider = services ?? throw new InvalidOperationException($"{nameof(RedisSessionStoreOptions.ConnectionMultiplexerServiceKey)} '{key}' needs the store to be created by dependency injection (AddRedis).");
            return new($"the IConnectionMultiplexer registered in DI with key '{key}'", () => Task.FromResult(provider.GetRequiredKeyedService<IConnectionMultiplexer>(key)), null, options, loggerFactory);
        }

        if (options.ConfigurationOptions is { } given)
        {
            var clone = given.Clone();
            return new(clone.ToString(includePassword: false), null, clone, options, loggerFactory);
        }

        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            var parsed = ConfigurationOptions.Parse(options.Configuration);
            return new(parsed.ToString(includePassword: false), null, parsed, options, loggerFactory);
        }

        if (services?.GetService<IConnectionMultiplexer>() is not null)
        {
            return new("the IConnectionMultiplexer registered in DI", () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()), null, options, loggerFactory);
        }

        throw new InvalidOperationException(
            "The Redis session store has no connection: set Stickless:Redis:Configuration (a connection string such as \"127.0.0.1:6379\"), " +
            "ConfigurationOptions, ConnectionMultiplexerFactory or ConnectionMultiplexerServiceKey, or register an IConnectionMultiplexer.");
    }

    /// <summary>
    /// Connects (or obtains the application's multiplexer) on a thread-pool thread: StackExchange.Redis's Sentinel
    /// connect and Aspire's singleton factory block, and no request thread may.
    /// </summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_owned is not null)
        {
            var options = ForConnectionsWeOpen(_owned);
            var multiplexer = await Task.Run(() => ConnectionMultiplexer.ConnectAsync(options), cancellationToken).ConfigureAwait(false);
            multiplexer.AddLibraryNameSuffix(LibraryNameSuffix);
            return multiplexer;
        }

        var given = await Task.Run(_given!, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{Description} returned no multiplexer.");
        given.AddLibraryNameSuffix(LibraryNameSuffix);
        return given;
    }

    /// <summary>
    /// Options for a connection Stickless opens beside the main one (the WAIT lanes): the same server and
    /// credentials. For an application's multiplexer they are read back from its configuration string, which
    /// carries no callbacks (certificate validation): name <see cref="RedisSessionStoreOptions.ConfigurationOptions"/>
    /// then instead.
    /// </summary>
    public ConfigurationOptions OptionsForOwnConnection(IConnectionMultiplexer main) =>
        ForConnectionsWeOpen(_owned?.Clone() ?? ConfigurationOptions.Parse(main.Configuration));

    /// <summary>A source for one more connection Stickless opens and owns, from <paramref name="options"/>.</summary>
    public RedisConnectionSource ForOwnConnection(ConfigurationOptions options, string role) =>
        new($"{Description} ({role})", null, options, _options, _loggerFactory);

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
