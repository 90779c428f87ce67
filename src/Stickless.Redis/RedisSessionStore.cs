using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Redis.Connections;

namespace Stickless.Redis;

/// <summary>
/// Sessions in Redis: one hash per session, one Lua script per operation, one round trip per request.
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
/// <see cref="OperationCanceledException"/>.
/// </para>
/// </remarks>
public sealed partial class RedisSessionStore : ISessionStore, IAsyncDisposable, IDisposable
{
    /// <summary>The store's name, as registered by <c>UseRedis</c>: <c>Redis</c>.</summary>
    public const string StoreName = "Redis";

    // A rotated id points at its successor for a short grace; a chain longer than this is not followed.
    private const int MaxAliasHops = 3;

    private readonly RedisSessionStoreOptions _options;
    private readonly RedisConnectionOptions _connectionOptions;
    private readonly string _connectionText;
    private readonly RedisSessionKeys _keys;
    private readonly SessionEventPublisher _events;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly RedisStoreMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposing = new();
    private Task<IRedisExecutor>? _client;
    private bool _disposed;

    /// <summary>Creates the store. It connects on first use (bounded by <see cref="RedisSessionStoreOptions.ConnectTimeout"/>), never in the constructor.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="events">Receives every node's lifecycle events (when <see cref="RedisSessionStoreOptions.PublishEvents"/>).</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="timeProvider">Timers (timeouts, sweeper); <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="meterFactory">Creates the meter <c>Stickless</c> (see the README for its instruments); a shared meter by default.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public RedisSessionStore(RedisSessionStoreOptions options, SessionEventPublisher? events = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Redis session store options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _connectionOptions = RedisConnectionOptions.Parse(options.Configuration);
        _connectionText = _connectionOptions.ToString();
        _keys = new RedisSessionKeys(options.KeyPrefix);
        _events = events ?? SessionEventPublisher.None;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RedisSessionStore>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = new RedisStoreMetrics(meterFactory);
        StartBackgroundWork();
    }

    /// <inheritdoc />
    public string Name => StoreName;

    /// <summary>The key prefix in use (for tools that inspect the store).</summary>
    public string KeyPrefix => _options.KeyPrefix;

    /// <inheritdoc />
    public async ValueTask PingAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync("PING", [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task<IRedisExecutor>? client;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            client = _client;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await StopBackgroundWorkAsync().ConfigureAwait(false);
        if (client is not null)
        {
            try
            {
                var connected = await client.ConfigureAwait(false);
                await connected.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // It never connected: nothing to close.
            }
        }

        _disposing.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
