using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// A Redis client: one pipelined connection shared by every caller (plus one more for pub/sub, opened on the
/// first subscription), reconnected with backoff when it fails.
/// </summary>
/// <remarks>
/// <para>Failures: an error reply throws <see cref="RedisServerException"/> and leaves the connection healthy;
/// no reply within <see cref="RedisConnectionOptions.CommandTimeout"/> throws <see cref="RedisTimeoutException"/>;
/// a lost or unreachable connection, or a malformed reply, throws <see cref="RedisConnectionException"/>.
/// Cancelling the caller's token throws <see cref="OperationCanceledException"/>.</para>
/// <para>While disconnected, a call waits for the reconnect up to its timeout, then fails with
/// <see cref="RedisConnectionException"/>. Commands in flight when the connection drops fail at once with
/// <see cref="RedisConnectionException"/> (or <see cref="RedisTimeoutException"/> when it was dropped because the
/// server stopped answering); they may or may not have run, and none is retried. In Sentinel mode
/// (<see cref="RedisConnectionOptions.ServiceName"/>) a call that surely did not run (never written, or refused
/// with <c>READONLY</c>) or a plain read is retried once on the new master: see <see cref="RedisRetryRule"/>.</para>
/// </remarks>
public sealed partial class RedisClient : IAsyncDisposable
{
    private readonly ReconnectingRedisConnection _interactive;
    private readonly RedisSubscriber _subscriber;
    private readonly IRedisEndpointResolver _resolver;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _disposed;

    private RedisClient(RedisConnectionOptions options, IRedisEndpointResolver resolver, ILoggerFactory loggerFactory, TimeProvider timeProvider, Random random)
    {
        Options = options;
        _time = timeProvider;
        _logger = loggerFactory.CreateLogger<RedisClient>();
        _resolver = resolver;
        _random = random;
        _interactive = new ReconnectingRedisConnection(new RedisConnectionSettings(options, timeProvider, _logger, "interactive"), resolver, random);
        _subscriber = new RedisSubscriber(this, options, resolver, timeProvider, _logger, random);
    }

    /// <summary>The options the client was created with (a copy: changing the original has no effect).</summary>
    public RedisConnectionOptions Options { get; }

    /// <summary>Whether the interactive connection is up right now.</summary>
    public bool IsConnected => _interactive.IsConnected;

    /// <summary>The server the interactive connection talks to, or <see langword="null"/> while disconnected.</summary>
    public RedisEndpoint? ConnectedEndpoint => _interactive.Endpoint;

    internal TimeProvider TimeProvider => _time;

    internal ILogger Logger => _logger;

    /// <summary>
    /// Connects to the first reachable endpoint of <paramref name="options"/> and authenticates.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="RedisConnectionException">No endpoint could be reached or authentication failed
    /// (only when <see cref="RedisConnectionOptions.AbortOnConnectFail"/>; otherwise the client keeps trying).</exception>
    public static ValueTask<RedisClient> ConnectAsync(
        RedisConnectionOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Sentinel mode: the endpoints are sentinels, asked for the master of ServiceName (see SentinelEndpointResolver).
        IRedisEndpointResolver resolver = options.ServiceName is null
            ? new StandaloneEndpointResolver(options.Endpoints)
            : new SentinelEndpointResolver(options, timeProvider ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisClient>(), Random.Shared);
        return ConnectAsync(options, resolver, loggerFactory, timeProvider, random: null, cancellationToken);
    }

    /// <summary>Connects through a custom endpoint resolver (Sentinel) and, for tests, a seeded random source.</summary>
    internal static async ValueTask<RedisClient> ConnectAsync(
        RedisConnectionOptions options,
        IRedisEndpointResolver resolver,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        Random? random,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid Redis options: {string.Join(" ", errors)}", nameof(options));
        }
        var client = new RedisClient(options.Clone(), resolver, loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System, random ?? Random.Shared);
        try
        {
            await client._interactive.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return client;
    }

    /// <summary>
    /// Sends <paramref name="command"/> with binary-safe <paramref name="args"/> and returns the reply.
    /// The arrays must not change until the returned task completes.
    /// </summary>
    /// <exception cref="RedisServerException">The server answered with an error.</exception>
    /// <exception cref="RedisTimeoutException">No reply within <see cref="RedisConnectionOptions.CommandTimeout"/>.</exception>
    /// <exception cref="RedisConnectionException">No connection, or it failed before the reply arrived.</exception>
    public ValueTask<RespValue> ExecuteAsync(string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(args);
        return _resolver.FollowsFailover
            ? RunFollowingFailoverAsync(_interactive, command, args, cancellationToken)
            : RunAsync(_interactive, new RedisOperation(command, args), cancellationToken);
    }

    /// <summary>Sends <paramref name="command"/> without arguments (e.g. <c>PING</c>, <c>DBSIZE</c>).</summary>
    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlyMemory{byte}[], CancellationToken)"/>
    public ValueTask<RespValue> ExecuteAsync(string command, CancellationToken cancellationToken = default) =>
        ExecuteAsync(command, Array.Empty<ReadOnlyMemory<byte>>(), cancellationToken);

    /// <summary>Sends <paramref name="command"/> with text arguments, sent as UTF-8.</summary>
    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlyMemory{byte}[], CancellationToken)"/>
    public ValueTask<RespValue> ExecuteAsync(string command, string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var encoded = new ReadOnlyMemory<byte>[args.Length];
        for (var i = 0; i < args.Length; i++) { encoded[i] = Encoding.UTF8.GetBytes(args[i]); }
        return ExecuteAsync(command, encoded, cancellationToken);
    }

    /// <summary>Sends <c>PING</c> and returns the round-trip time.</summary>
    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlyMemory{byte}[], CancellationToken)"/>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        await ExecuteAsync("PING", cancellationToken).ConfigureAwait(false);
        return _time.GetElapsedTime(started);
    }

    /// <summary>Closes both connections; calls in flight fail with <see cref="RedisConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) { return; }
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        await _interactive.DisposeAsync().ConfigureAwait(false);
        await DisposeLanesAsync().ConfigureAwait(false);
        if (_resolver is IAsyncDisposable resolver) { await resolver.DisposeAsync().ConfigureAwait(false); }
    }

    /// <summary>Runs one operation on <paramref name="connection"/> with the command timeout and the caller's token.</summary>
    internal async ValueTask<RespValue> RunAsync(ReconnectingRedisConnection connection, RedisOperation operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var timeout = Options.CommandTimeout;
        var started = _time.GetTimestamp();
        var physical = await connection.GetConnectionAsync(timeout, cancellationToken).ConfigureAwait(false);
        physical.Enqueue(operation);
        var remaining = timeout - _time.GetElapsedTime(started);
        RespValue reply;
        try
        {
            reply = await operation.Completion.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromTicks(1), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            operation.Abandon();
            throw new RedisTimeoutException(
                $"Redis {physical.Endpoint} did not answer {operation.Command} within {(long)timeout.TotalMilliseconds} ms.", ex) { Endpoint = physical.Endpoint };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            operation.Abandon();
            throw;
        }
        return reply.IsError ? throw new RedisServerException(reply.ErrorMessage ?? string.Empty) : reply;
    }
}
