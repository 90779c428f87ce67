using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Stickless.Redis.Connection;

/// <summary>
/// The store's connection: a <see cref="RedisLink"/> made on first use (never in a constructor), checked for the
/// minimum Redis version whenever a server (re)connects, and, when Stickless owns the multiplexer, replaced
/// when it stops answering: StackExchange.Redis itself declares a socket dead only after four of its timeouts
/// without a byte read, and the store's calls must not fail for several times their own timeout.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    // A failed connection attempt is not retried sooner than this; calls meanwhile fail at once.
    private static readonly TimeSpan RetryConnectAfter = TimeSpan.FromSeconds(1);

    private readonly RedisConnectionSource _source;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposing = new();
    private Task<RedisLink>? _link;
    private long _failedAt;
    private bool _disposed;

    public RedisConnection(RedisConnectionSource source, RedisSessionStoreOptions options, ILogger logger, TimeProvider time)
    {
        _source = source;
        _connectTimeout = options.ConnectTimeout;
        _logger = logger;
        _time = time;
    }

    public RedisConnectionSource Source => _source;

    /// <summary>The link, if one is made (for background work that must not connect by itself).</summary>
    public RedisLink? Current => Volatile.Read(ref _link) is { IsCompletedSuccessfully: true } link ? link.Result : null;

    /// <summary>
    /// The link, connecting first if need be. A caller waits no longer than its own token; a failed attempt is
    /// retried by a call at least a second later.
    /// </summary>
    /// <exception cref="RedisConnectionException">The last attempt failed (also for the second after it).</exception>
    public ValueTask<RedisLink> GetAsync(CancellationToken cancellationToken)
    {
        var link = Volatile.Read(ref _link);
        if (link is { IsCompletedSuccessfully: true })
        {
            return new(link.Result);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_link is null || ((_link.IsFaulted || _link.IsCanceled) && _time.GetElapsedTime(_failedAt) >= RetryConnectAfter))
            {
                _link = ConnectAsync();
            }

            link = _link;
        }

        return new(link.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// A store call that started at <paramref name="callStarted"/> timed out on <paramref name="link"/>. When Stickless
    /// owns the link and nothing answered on it during the whole call, it is presumed dead: it is closed (its calls in
    /// flight fail, and nothing more is written to it, so a command cannot wait in its socket to run once the server
    /// wakes) and the next call connects anew.
    /// </summary>
    public void OnTimedOut(RedisLink link, long callStarted)
    {
        // Only a connection StackExchange.Redis still believes healthy: one it knows is down (a killed master, a
        // failover under way) it is already reconnecting or switching, and replacing it would only slow that down.
        if (!link.Owned || !link.SilentSince(callStarted) || !link.MasterLooksConnected())
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed || Volatile.Read(ref _link) is not { IsCompletedSuccessfully: true } current || current.Result != link)
            {
                return;
            }

            _link = ConnectAsync();
        }

        LogReplaced(_logger, _source.Description, (long)link.SinceLastReply.TotalMilliseconds);
        _ = CloseAsync(link);
    }

    public async ValueTask DisposeAsync()
    {
        Task<RedisLink>? link;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            link = _link;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (link is not null)
        {
            try
            {
                await CloseAsync(await link.ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // It never connected: nothing to close.
            }
        }

        _disposing.Dispose();
    }

    private async Task<RedisLink> ConnectAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token);
        timeout.CancelAfter(_connectTimeout + _connectTimeout);
        try
        {
            var multiplexer = await _source.ConnectAsync(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            var link = new RedisLink(multiplexer, _source.OwnsMultiplexer, _time);
            multiplexer.ConnectionRestored += OnConnectionRestored;
            CheckVersions(link);
            LogConnected(_logger, _source.Description, multiplexer.IsConnected, _source.OwnsMultiplexer);
            return link;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _failedAt = _time.GetTimestamp();
            LogConnectFailed(_logger, _source.Description, ex);
            if (ex is RedisConnectionException)
            {
                throw;
            }

            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, $"Could not connect to {_source.Description}: {ex.Message}", ex, CommandStatus.WaitingToBeSent);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Current is { } link && ReferenceEquals(sender, link.Multiplexer))
        {
            CheckVersions(link);
        }
    }

    private void CheckVersions(RedisLink link)
    {
        if (RedisServerVersions.FindTooOld(link.Multiplexer) is { } reason && link.Incompatible is null)
        {
            link.MarkIncompatible(reason);
            LogIncompatible(_logger, reason);
        }
    }

    private async Task CloseAsync(RedisLink link)
    {
        link.Multiplexer.ConnectionRestored -= OnConnectionRestored;
        if (!link.Owned)
        {
            return; // the application's: never closed here
        }

        try
        {
            await link.Multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCloseFailed(_logger, ex);
        }
        finally
        {
            await link.Multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3100, EventName = "RedisStoreConnected", Level = LogLevel.Information,
        Message = "Redis session store uses {Source} (connected now: {Connected}, opened by Stickless: {Owned}).")]
    private static partial void LogConnected(ILogger logger, string source, bool connected, bool owned);

    [LoggerMessage(EventId = 3101, EventName = "RedisStoreConnectFailed", Level = LogLevel.Warning,
        Message = "Redis session store could not connect to {Source}; a call a second from now tries again.")]
    private static partial void LogConnectFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 3110, EventName = "RedisStoreConnectionReplaced", Level = LogLevel.Warning,
        Message = "Redis session store replaces its connection to {Source}: calls timed out and nothing answered for {SilentMs} ms.")]
    private static partial void LogReplaced(ILogger logger, string source, long silentMs);

    [LoggerMessage(EventId = 3111, EventName = "RedisStoreServerTooOld", Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogIncompatible(ILogger logger, string reason);

    [LoggerMessage(EventId = 3112, EventName = "RedisStoreCloseFailed", Level = LogLevel.Debug, Message = "Closing a replaced Redis connection failed.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);
}
