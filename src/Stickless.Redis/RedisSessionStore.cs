using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stickless.Redis.Connection;

namespace Stickless.Redis;

/// <summary>
/// Sessions in Redis, on StackExchange.Redis: one hash per session, one Lua script per operation, one round
/// trip per request.
/// </summary>
/// <remarks>
/// <para>
/// Layout (revision 1, see Scripts/README.md): the session <c>&lt;prefix&gt;{&lt;id&gt;}</c> is a hash of
/// metadata fields (<c>rev created last idle abs principal gen</c>) and, per attribute, <c>a:&lt;name&gt;</c>
/// (the value) and <c>v:&lt;name&gt;</c> (its version). Redis expires the hash itself at the earlier of the
/// idle and absolute expiry (PEXPIREAT); all times are the Redis server's clock, the one PEXPIREAT uses,
/// so app nodes whose clocks disagree still agree on when a session dies.
/// </para>
/// <para>
/// A load is one EVALSHA that reads the hash and touches it only when the throttle says so; a commit is
/// one EVALSHA that checks (existence, compare-and-set) before it writes, so it never resurrects a
/// deleted session and writes nothing when refused. Lifecycle events are published by the scripts on
/// <c>&lt;prefix&gt;events</c>; expiries are found by a sweeper over the expiry index
/// (<c>&lt;prefix&gt;expiry</c>), one node at a time. Keyspace notifications are not used.
/// </para>
/// <para>
/// Failures (no connection, timeout, malformed or error replies) surface as
/// <see cref="SessionStoreUnavailableException"/>; the caller's cancellation as
/// <see cref="OperationCanceledException"/>. Every call ends within <see cref="RedisSessionStoreOptions.OperationTimeout"/>.
/// </para>
/// </remarks>
public sealed partial class RedisSessionStore : ISessionStore, ISessionStoreLifecycle, IAsyncDisposable, IDisposable
{
    /// <summary>The store's name, as registered by <c>AddRedis</c>: <c>Redis</c>.</summary>
    public const string StoreName = "Redis";

    // A rotated id points at its successor for a short grace; a chain longer than this is not followed.
    private const int MaxAliasHops = 3;

    private readonly RedisSessionStoreOptions _options;
    private readonly RedisSessionKeys _keys;
    private readonly SessionEventPublisher _events;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly RedisStoreMetrics _metrics;
    private readonly RedisConnection _connection;
    private readonly RedisWaitLanes? _lanes;
    private readonly RedisPrincipalHints _principals = new();
    private readonly CancellationTokenSource _disposing = new();
    private int _disposed;

    /// <summary>
    /// Creates the store outside dependency injection. It connects on first use, never in the constructor; its
    /// background work (event subscription, expiry sweeper) runs between <see cref="StartAsync"/> and
    /// <see cref="StopAsync"/>.
    /// </summary>
    /// <param name="options">The settings; validated here. A multiplexer from DI (<see cref="RedisSessionStoreOptions.ConnectionMultiplexerServiceKey"/>) needs the DI constructor.</param>
    /// <param name="events">Receives every node's lifecycle events (when <see cref="RedisSessionStoreOptions.PublishEvents"/>).</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="timeProvider">Timeouts, sweeper; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="meterFactory">Creates the meter <c>Stickless</c> (see the README for its instruments); a shared meter by default.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public RedisSessionStore(RedisSessionStoreOptions options, SessionEventPublisher? events = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
        : this(options, services: null, events, loggerFactory, timeProvider, meterFactory)
    {
    }

    /// <summary>Creates the store from dependency injection (what <c>AddRedis</c> registers).</summary>
    /// <param name="options">The bound and validated options.</param>
    /// <param name="services">Resolves the multiplexer (when taken from DI), the event publisher, logging, time and metrics.</param>
    [ActivatorUtilitiesConstructor]
    public RedisSessionStore(IOptions<RedisSessionStoreOptions> options, IServiceProvider services)
        : this(
            (options ?? throw new ArgumentNullException(nameof(options))).Value,
            services ?? throw new ArgumentNullException(nameof(services)),
            services.GetService<SessionEventPublisher>() ?? new SessionEventPublisher(services.GetServices<ISessionLifecycleObserver>(), services.GetService<ILogger<SessionEventPublisher>>()),
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<IMeterFactory>())
    {
    }

    private RedisSessionStore(RedisSessionStoreOptions options, IServiceProvider? services, SessionEventPublisher? events, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Redis session store options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _keys = new RedisSessionKeys(options.KeyPrefix);
        _events = events ?? SessionEventPublisher.None;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<RedisSessionStore>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = new RedisStoreMetrics(meterFactory);
        var source = RedisConnectionSource.Create(options, services, loggerFactory);
        _connection = new RedisConnection(source, options, _logger, _timeProvider);
        if (options.WaitForReplicas > 0)
        {
            _lanes = new RedisWaitLanes(_connection, options, _logger, _timeProvider);
        }
    }

    /// <inheritdoc />
    public string Name => StoreName;

    /// <summary>The key prefix in use (for tools that inspect the store).</summary>
    public string KeyPrefix => _options.KeyPrefix;

    /// <summary>True when Stickless opened the connection itself (and will close it); false for the application's multiplexer.</summary>
    public bool OwnsConnection => _connection.Source.OwnsMultiplexer;

    /// <summary>True while the main connection is up (for tests that must wait until a dropped connection is noticed).</summary>
    internal bool IsConnected => _connection.Current?.Multiplexer.IsConnected == true;

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken)
    {
        using var call = StartCall(cancellationToken);
        try
        {
            await RunAsync(call, "ping", static (link, _) => link.Database.PingAsync(StackExchange.Redis.CommandFlags.DemandMaster), 0).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, call))
        {
            throw Unavailable(ex, call);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_lanes is not null)
        {
            await _lanes.DisposeAsync().ConfigureAwait(false);
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
