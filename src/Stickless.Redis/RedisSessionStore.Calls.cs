using Stickless.Redis.Cluster;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    /// <summary>Runs one script by SHA (the client loads it on NOSCRIPT), mapping failures to <see cref="SessionStoreUnavailableException"/>.</summary>
    private async ValueTask<RespValue> EvalAsync(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            var client = await GetClientAsync(timeout.Token).ConfigureAwait(false);
            var reply = await client.EvalAsync(script, keys, args, timeout.Token).ConfigureAwait(false);
            return reply.ThrowIfError();
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>Runs one command, mapping failures to <see cref="SessionStoreUnavailableException"/>.</summary>
    private async ValueTask<RespValue> ExecuteAsync(string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            var client = await GetClientAsync(timeout.Token).ConfigureAwait(false);
            var reply = await client.ExecuteAsync(command, args, timeout.Token).ConfigureAwait(false);
            return reply.ThrowIfError();
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    private CancellationTokenSource StartTimeout(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        return timeout;
    }

    /// <summary>
    /// The one connection, made on first use. A failed or timed-out attempt is forgotten so the next
    /// call tries again; callers wait for it no longer than their own timeout.
    /// </summary>
    private ValueTask<IRedisExecutor> GetClientAsync(CancellationToken cancellationToken)
    {
        var client = Volatile.Read(ref _client);
        if (client is { IsCompletedSuccessfully: true })
        {
            return new ValueTask<IRedisExecutor>(client.Result);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is null || _client.IsFaulted || _client.IsCanceled)
            {
                _client = ConnectAsync();
            }

            client = _client;
        }

        return new ValueTask<IRedisExecutor>(client.WaitAsync(cancellationToken));
    }

    private async Task<IRedisExecutor> ConnectAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            // A standalone server, Sentinel, or Redis Cluster (cluster=true, or detected): see RedisExecutorFactory.
            var client = await RedisExecutorFactory.ConnectAsync(_connectionOptions, _loggerFactory, _timeProvider, timeout.Token).ConfigureAwait(false);
            LogConnected(_logger, _connectionText);
            return client;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConnectFailed(_logger, ex);
            throw;
        }
    }

    /// <summary>True for failures of the store (not of the caller): everything but the caller's own cancellation.</summary>
    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        SessionStoreUnavailableException => false,
        ObjectDisposedException => false,
        RedisConnectionException or RedisTimeoutException or RespProtocolException or RedisServerException => true,
        InvalidOperationException or FormatException or IOException or TimeoutException => true,
        _ => false,
    };

    private SessionStoreUnavailableException Unavailable(Exception ex)
    {
        var message = ex is OperationCanceledException
            ? $"Redis did not answer within {_options.OperationTimeout.TotalMilliseconds:0} ms."
            : $"Redis failed: {ex.Message}";
        LogUnavailable(_logger, message, ex);
        return new SessionStoreUnavailableException(message, ex);
    }

    private static SessionStoreUnavailableException Malformed(string what) =>
        new($"Redis answered a session script with a malformed reply: {what}.");
}
