using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// A pub/sub connection to one of the sentinels (whichever answers first, re-made with backoff when it drops)
/// subscribed to <c>+switch-master</c>. A message for our service name reports the new master at once, well
/// before the old connections notice anything. Redis's guidelines say such messages only speed things up:
/// one can be missed while this connection is down, so lost connections and <c>READONLY</c> replies still
/// make the client resolve again on their own.
/// </summary>
internal sealed class SentinelMonitor : IAsyncDisposable
{
    private static readonly ReadOnlyMemory<byte> SwitchMaster = "+switch-master"u8.ToArray();

    private readonly string _serviceName;
    private readonly Action<RedisEndpoint> _onSwitch;
    private readonly ILogger _logger;
    private readonly ReconnectingRedisConnection _connection;
    private int _started;

    public SentinelMonitor(string serviceName, RedisConnectionOptions sentinelOptions, SentinelList sentinels, TimeProvider time, ILogger logger, Random random, Action<RedisEndpoint> onSwitch)
    {
        _serviceName = serviceName;
        _onSwitch = onSwitch;
        _logger = logger;
        var settings = new RedisConnectionSettings(sentinelOptions, time, logger, "sentinel pub/sub") { OutOfBand = TryDeliver };
        _connection = new ReconnectingRedisConnection(settings, sentinels, random, SubscribeAsync);
    }

    /// <summary>Starts listening (once); never throws: an unreachable sentinel is retried in the background.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) { _ = StartQuietlyAsync(); }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task StartQuietlyAsync()
    {
        try
        {
            await _connection.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or RedisConnectionException)
        {
            // Disposed before it connected; or (options with AbortOnConnectFail) the first attempt failed.
        }
    }

    private async Task SubscribeAsync(RedisPhysicalConnection connection, CancellationToken cancellationToken)
    {
        var confirmation = await connection.SendAsync("SUBSCRIBE", SwitchMaster).WaitAsync(cancellationToken).ConfigureAwait(false);
        confirmation.ThrowIfError();
        _logger.SentinelSubscribed(_serviceName, connection.Endpoint);
    }

    /// <summary>
    /// Handles <c>message</c> frames on the read loop. The payload of <c>+switch-master</c> is
    /// <c>&lt;name&gt; &lt;old ip&gt; &lt;old port&gt; &lt;new ip&gt; &lt;new port&gt;</c>.
    /// </summary>
    private bool TryDeliver(RespValue frame)
    {
        if (frame.Type is not (RespType.Array or RespType.Push) || frame.Count != 3) { return false; }
        var kind = frame[0];
        if (kind.Type is not (RespType.BulkString or RespType.SimpleString) || !kind.Memory.Span.SequenceEqual("message"u8)) { return false; }
        var parts = Encoding.UTF8.GetString(frame[2].Memory.Span).Split(' ');
        if (parts.Length == 5 && parts[0] == _serviceName
            && int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            var master = new RedisEndpoint(parts[3], port);
            _logger.SwitchMaster(_serviceName, master);
            _onSwitch(master);
        }
        return true;
    }
}
