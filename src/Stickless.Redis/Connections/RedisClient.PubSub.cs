using System.Text;

namespace Stickless.Redis.Connections;

public sealed partial class RedisClient
{
    /// <summary>
    /// Subscribes <paramref name="onMessage"/> to <paramref name="channel"/> on the client's dedicated pub/sub
    /// connection (opened on first use, re-subscribed after every reconnect). Messages published while that
    /// connection is down are lost, as Redis pub/sub is fire-and-forget. Dispose the result to unsubscribe.
    /// </summary>
    /// <remarks><paramref name="onMessage"/> runs on the connection's read loop: it must be quick and must not
    /// block; the memory it receives is valid only during the call. Exceptions it throws are logged.</remarks>
    /// <exception cref="RedisTimeoutException">The subscription was not confirmed within the command timeout.</exception>
    /// <exception cref="RedisConnectionException">The pub/sub connection could not be made.</exception>
    public ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(onMessage);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _subscriber.SubscribeAsync(channel, onMessage, cancellationToken);
    }

    /// <summary>Publishes <paramref name="message"/> to <paramref name="channel"/>; returns how many subscribers received it.</summary>
    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlyMemory{byte}[], CancellationToken)"/>
    public async ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var reply = await ExecuteAsync("PUBLISH", [Encoding.UTF8.GetBytes(channel), message], cancellationToken).ConfigureAwait(false);
        return reply.GetInt64();
    }
}
