using System.Text;
using Microsoft.Extensions.Logging;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// The pub/sub side of a client: its own connection (a subscribed connection can run nothing else), the
/// channel → handlers table, delivery of messages from the read loop, and re-subscription after a reconnect.
/// Subscribing and unsubscribing are serialized so that the server's state always matches the table.
/// </summary>
internal sealed class RedisSubscriber : IAsyncDisposable
{
    private static readonly Action<ReadOnlyMemory<byte>>[] NoHandlers = [];

    private readonly RedisClient _client;
    private readonly RedisConnectionOptions _options;
    private readonly IRedisEndpointResolver _resolver;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Action<ReadOnlyMemory<byte>>[]> _handlers = new(StringComparer.Ordinal);
    private ReconnectingRedisConnection? _connection;
    private bool _disposed;

    public RedisSubscriber(RedisClient client, RedisConnectionOptions options, IRedisEndpointResolver resolver, TimeProvider time, ILogger logger, Random random)
    {
        _client = client;
        _options = options;
        _resolver = resolver;
        _time = time;
        _logger = logger;
        _random = random;
    }

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(RedisClient));
            var connection = await EnsureConnectionAsync(cancellationToken).ConfigureAwait(false);
            bool first;
            lock (_gate)
            {
                var existing = _handlers.GetValueOrDefault(channel, NoHandlers);
                first = existing.Length == 0;
                _handlers[channel] = [.. existing, onMessage];
            }
            if (first)
            {
                try
                {
                    await _client.RunAsync(connection, new RedisOperation("SUBSCRIBE", [Encoding.UTF8.GetBytes(channel)]), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    RemoveHandler(channel, onMessage);
                    throw;
                }
            }
            return new Subscription(this, channel, onMessage);
        }
        finally
        {
            _changes.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _changes.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_connection is not null) { await _connection.DisposeAsync().ConfigureAwait(false); }
        }
        finally
        {
            _changes.Release();
        }
    }

    private async ValueTask UnsubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> onMessage)
    {
        await _changes.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!RemoveHandler(channel, onMessage) || _disposed || _connection is null) { return; }
            try
            {
                await _client.RunAsync(_connection, new RedisOperation("UNSUBSCRIBE", [Encoding.UTF8.GetBytes(channel)]), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
            {
                // The channel is gone from the table, so the next reconnect will not subscribe it again.
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Removes one handler; true when it was the channel's last.</summary>
    private bool RemoveHandler(string channel, Action<ReadOnlyMemory<byte>> onMessage)
    {
        lock (_gate)
        {
            if (!_handlers.TryGetValue(channel, out var existing)) { return false; }
            var index = Array.IndexOf(existing, onMessage);
            if (index < 0) { return false; }
            var remaining = existing.Where((_, i) => i != index).ToArray();
            if (remaining.Length == 0) { _handlers.Remove(channel); return true; }
            _handlers[channel] = remaining;
            return false;
        }
    }

    private async ValueTask<ReconnectingRedisConnection> EnsureConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null) { return _connection; }
        var settings = new RedisConnectionSettings(_options, _time, _logger, "subscriber")
        {
            OutOfBand = TryDeliver,
            PushesAnswerCommands = true,
        };
        var connection = new ReconnectingRedisConnection(settings, _resolver, _random, ResubscribeAsync);
        try
        {
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _connection = connection;
        return connection;
    }

    /// <summary>Runs on every new subscriber connection, before callers may use it.</summary>
    private async Task ResubscribeAsync(RedisPhysicalConnection connection, CancellationToken cancellationToken)
    {
        string[] channels;
        lock (_gate) { channels = [.. _handlers.Keys]; }
        // One channel per command: each SUBSCRIBE then has exactly one confirmation to match in the FIFO.
        var confirmations = channels.Select(c => connection.SendAsync("SUBSCRIBE", Encoding.UTF8.GetBytes(c))).ToArray();
        foreach (var confirmation in confirmations)
        {
            var reply = await confirmation.WaitAsync(cancellationToken).ConfigureAwait(false);
            reply.ThrowIfError();
        }
    }

    /// <summary>Delivers <c>message</c> frames (RESP2 arrays or RESP3 pushes); everything else answers a command.</summary>
    private bool TryDeliver(RespValue frame)
    {
        if (frame.Type is not (RespType.Array or RespType.Push) || frame.Count != 3) { return false; }
        var kind = frame[0];
        if (kind.Type is not (RespType.BulkString or RespType.SimpleString) || !kind.Memory.Span.SequenceEqual("message"u8)) { return false; }
        var channel = frame[1].GetString() ?? string.Empty;
        Action<ReadOnlyMemory<byte>>[] handlers;
        lock (_gate) { handlers = _handlers.GetValueOrDefault(channel, NoHandlers); }
        var payload = frame[2].Memory;
        foreach (var handler in handlers)
        {
            try { handler(payload); }
            catch (Exception ex) { _logger.SubscriberCallbackFailed(ex, channel); }
        }
        return true;
    }

    private sealed class Subscription(RedisSubscriber owner, string channel, Action<ReadOnlyMemory<byte>> onMessage) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? owner.UnsubscribeAsync(channel, onMessage) : ValueTask.CompletedTask;
    }
}
