using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Stickless.Redis.Connection;

internal sealed partial class RedisSentinelFollower
{
    // A failed connect to the sentinels is not retried sooner than this; questions meanwhile fail at once.
    private static readonly TimeSpan RetryConnectAfter = TimeSpan.FromSeconds(1);

    private static readonly RedisChannel SwitchMasterChannel = RedisChannel.Literal("+switch-master");

    private Task<ConnectionMultiplexer>? _sentinels;
    private long _sentinelsFailedAt;

    /// <summary>
    /// Asks every connected sentinel, at once, which master it names for the service; the answers that came within
    /// the ask timeout (none when no sentinel is reachable).
    /// </summary>
    private async Task<IReadOnlyList<EndPoint>> AskAsync(CancellationToken cancellationToken)
    {
        var sentinels = await SentinelsAsync(cancellationToken).ConfigureAwait(false);
        var servers = Array.FindAll(sentinels.GetServers(), s => s.IsConnected);
        var questions = Array.ConvertAll(servers, s => AskOneAsync(s, cancellationToken));
        var answers = await Task.WhenAll(questions).ConfigureAwait(false);
        return [.. answers.OfType<EndPoint>()];
    }

    private async Task<EndPoint?> AskOneAsync(IServer sentinel, CancellationToken cancellationToken)
    {
        try
        {
            return await sentinel.SentinelGetMasterAddressByNameAsync(ServiceName).WaitAsync(_askTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return null; // that sentinel is down or slow; the others answer
        }
    }

    /// <summary>The multiplexer to the sentinels, connected on first use (on a thread-pool thread) and subscribed to <c>+switch-master</c>.</summary>
    private Task<ConnectionMultiplexer> SentinelsAsync(CancellationToken cancellationToken)
    {
        Task<ConnectionMultiplexer> sentinels;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sentinels is null || ((_sentinels.IsFaulted || _sentinels.IsCanceled) && _time.GetElapsedTime(_sentinelsFailedAt) >= RetryConnectAfter))
            {
                _sentinels = ConnectSentinelsAsync();
            }

            sentinels = _sentinels;
        }

        return sentinels.WaitAsync(cancellationToken);
    }

    private async Task<ConnectionMultiplexer> ConnectSentinelsAsync()
    {
        try
        {
            // SentinelConnectAsync connects to the sentinels only; the +switch-master handler StackExchange.Redis adds
            // there acts only for masters it manages itself, and this one manages none.
            var sentinels = await Task.Run(() => ConnectionMultiplexer.SentinelConnectAsync(_sentinelOptions), _disposing.Token).ConfigureAwait(false);
            sentinels.AddLibraryNameSuffix(RedisConnectionSource.LibraryNameSuffix);
            try
            {
                // Kept by StackExchange.Redis and renewed after a reconnect; if it fails now, failures still make us ask.
                await sentinels.GetSubscriber().SubscribeAsync(SwitchMasterChannel, OnSwitchMaster).WaitAsync(_askTimeout, _time, _disposing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogSubscribeFailed(_logger, Sentinels, ex);
            }

            return sentinels;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _sentinelsFailedAt = _time.GetTimestamp();
            LogAskFailed(_logger, Sentinels, ServiceName, ex);
            throw;
        }
    }

    /// <summary><c>+switch-master &lt;name&gt; &lt;old ip&gt; &lt;old port&gt; &lt;new ip&gt; &lt;new port&gt;</c>: the failover of that service is over.</summary>
    private void OnSwitchMaster(RedisChannel channel, RedisValue message)
    {
        var parts = message.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 5 && parts[0] == ServiceName
            && int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            EndPoint master = IPAddress.TryParse(parts[3], out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(parts[3], port);
            Move(master, "+switch-master");
        }
    }

    private async Task CloseSentinelsAsync()
    {
        Task<ConnectionMultiplexer>? sentinels;
        lock (_gate)
        {
            sentinels = _sentinels;
        }

        if (sentinels is null)
        {
            return;
        }

        try
        {
            var multiplexer = await sentinels.ConfigureAwait(false);
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // It never connected (or closing failed): nothing more to release.
        }
    }
}
