using Microsoft.Extensions.Logging;

namespace Stickless.Redis.Connections;

/// <summary>
/// The connection callers see for one role (interactive or subscriber): it holds the current
/// <see cref="RedisPhysicalConnection"/> and, when that fails, reconnects in the background with exponential
/// backoff (capped by <see cref="RedisConnectionOptions.ReconnectMaxDelay"/>, with jitter), re-running the
/// handshake. While disconnected, a caller waits for the reconnect up to its own timeout and then fails with
/// <see cref="RedisConnectionException"/> naming the last connection error; nothing is queued beyond that.
/// </summary>
internal sealed partial class ReconnectingRedisConnection : IAsyncDisposable
{
    private readonly RedisConnectionSettings _settings;
    private readonly IRedisEndpointResolver _resolver;
    private readonly Func<RedisPhysicalConnection, CancellationToken, Task>? _onConnected;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private RedisPhysicalConnection? _current;
    private TaskCompletionSource<RedisPhysicalConnection> _ready = NewReady();
    private Exception? _lastError;
    private Task _reconnecting = Task.CompletedTask;
    private bool _isReconnecting;

    public ReconnectingRedisConnection(
        RedisConnectionSettings settings,
        IRedisEndpointResolver resolver,
        Random random,
        Func<RedisPhysicalConnection, CancellationToken, Task>? onConnected = null)
    {
        _settings = settings;
        _resolver = resolver;
        _random = random;
        _onConnected = onConnected;
        _logger = settings.Logger;
        resolver.Attach(this);
    }

    /// <summary>The live connection's server, or <see langword="null"/> while disconnected.</summary>
    public RedisEndpoint? Endpoint => Volatile.Read(ref _current) is { IsAlive: true } c ? c.Endpoint : null;

    public bool IsConnected => Volatile.Read(ref _current) is { IsAlive: true };

    /// <summary>
    /// Makes the first connection. If it fails: throws when <see cref="RedisConnectionOptions.AbortOnConnectFail"/>,
    /// otherwise keeps trying in the background and returns.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Publish(await ConnectOnceAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (!_settings.Options.AbortOnConnectFail && !cancellationToken.IsCancellationRequested)
        {
            _lastError = ex;
            StartReconnecting();
        }
    }

    /// <summary>The live connection, waiting up to <paramref name="timeout"/> for a reconnect if there is none.</summary>
    /// <exception cref="RedisConnectionException">No connection within the timeout.</exception>
    public ValueTask<RedisPhysicalConnection> GetConnectionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return current is { IsAlive: true } ? new(current) : WaitForConnectionAsync(timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        RedisPhysicalConnection? current;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested) { return; }
            _disposed.Cancel();
            current = _current;
            _current = null;
            _ready.TrySetException(new ObjectDisposedException(nameof(RedisClient)));
        }
        if (current is not null) { await current.DisposeAsync().ConfigureAwait(false); }
        try { await _reconnecting.ConfigureAwait(false); }
        catch (Exception) { /* reconnect loop ends on disposal; its errors were logged */ }
    }

    private async ValueTask<RedisPhysicalConnection> WaitForConnectionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RedisClient));
        Task<RedisPhysicalConnection> ready;
        lock (_gate) { ready = _ready.Task; }
        try
        {
            return await ready.WaitAsync(timeout, _settings.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var last = _lastError;
            throw new RedisConnectionException(
                $"No connection to Redis within {(long)timeout.TotalMilliseconds} ms; last error: {last?.Message ?? "none"}",
                last ?? new TimeoutException());
        }
    }

    private void Publish(RedisPhysicalConnection connection)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                _ = connection.DisposeAsync().AsTask();
                return;
            }
            _current = connection;
            _ready.TrySetResult(connection);
        }
        _logger.Connected(connection.Endpoint, _settings.Role, _settings.Options.Protocol);
        connection.OnClosed(OnConnectionClosed);
    }

    private void OnConnectionClosed(RedisPhysicalConnection connection, Exception error)
    {
        lock (_gate)
        {
            if (_current != connection || _disposed.IsCancellationRequested) { return; }
            _current = null;
            _ready = NewReady();
            _lastError = error;
        }
        StartReconnecting();
    }

    private void StartReconnecting()
    {
        lock (_gate)
        {
            if (_isReconnecting || _disposed.IsCancellationRequested) { return; }
            _isReconnecting = true;
            _reconnecting = Task.Run(ReconnectLoopAsync);
        }
    }

    private async Task ReconnectLoopAsync()
    {
        var token = _disposed.Token;
        try
        {
            for (var attempt = 0; !token.IsCancellationRequested; attempt++)
            {
                try
                {
                    var connection = await ConnectOnceAsync(token).ConfigureAwait(false);
                    lock (_gate) { _isReconnecting = false; }
                    Publish(connection);
                    return;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    _lastError = ex;
                    var delay = ReconnectBackoff.GetDelay(attempt, _settings.Options.ReconnectMaxDelay, _random);
                    _logger.ConnectFailed(ex, (ex as RedisConnectionException)?.Endpoint ?? new RedisEndpoint("?", 0), _settings.Role, (long)delay.TotalMilliseconds);
                    if (await WaitBeforeRetryAsync(delay, token).ConfigureAwait(false)) { attempt = -1; }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed while waiting to retry.
        }
        finally
        {
            lock (_gate) { _isReconnecting = false; }
        }
    }

    /// <summary>Tries each candidate once: TCP, TLS, handshake, then the role's own setup (re-subscribing).</summary>
    private async Task<RedisPhysicalConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var options = _settings.Options;
        var candidates = await _resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var failures = new List<Exception>();
        foreach (var endpoint in candidates)
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout, _settings.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            RedisPhysicalConnection? connection = null;
            try
            {
                connection = await RedisPhysicalConnection.ConnectAsync(endpoint, _settings, linked.Token).ConfigureAwait(false);
                await RedisHandshake.RunAsync(connection, options, linked.Token).ConfigureAwait(false);
                await _resolver.VerifyAsync(connection, linked.Token).ConfigureAwait(false);
                if (_onConnected is not null) { await _onConnected(connection, linked.Token).ConfigureAwait(false); }
                return connection;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (connection is not null) { await connection.DisposeAsync().ConfigureAwait(false); }
                failures.Add(ex is OperationCanceledException
                    ? new RedisConnectionException($"Connecting to Redis {endpoint} timed out after {(long)options.ConnectTimeout.TotalMilliseconds} ms.", ex) { Endpoint = endpoint }
                    : ex);
            }
        }
        if (failures.Count == 1) { throw failures[0]; }
        throw new RedisConnectionException(
            $"Could not connect to any Redis endpoint ({string.Join(", ", candidates)}): {string.Join(" | ", failures.Select(f => f.Message))}",
            new AggregateException(failures));
    }

    private static TaskCompletionSource<RedisPhysicalConnection> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
