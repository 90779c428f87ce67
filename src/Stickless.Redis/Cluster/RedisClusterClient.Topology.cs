using Microsoft.Extensions.Logging;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Cluster;

internal sealed partial class RedisClusterClient
{
    private static readonly ReadOnlyMemory<byte>[] SlotsArgs = ["SLOTS"u8.ToArray()];

    private readonly Lock _refreshGate = new();
    private Task _refresh = Task.CompletedTask;
    private long _lastRefreshStarted = long.MinValue;

    private void StartPeriodicRefresh()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _refreshTimer = _time.CreateTimer(static state => ((RedisClusterClient)state!).RequestRefresh(force: true), this, _settings.RefreshInterval, _settings.RefreshInterval);
    }

    /// <summary>
    /// Starts a background refresh unless one is running or one started less than
    /// <see cref="RedisClusterSettings.MinRefreshInterval"/> ago (<paramref name="force"/> skips that wait).
    /// </summary>
    private void RequestRefresh(bool force = false)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        lock (_refreshGate)
        {
            var now = _time.GetTimestamp();
            if (!_refresh.IsCompleted
                || (!force && _lastRefreshStarted != long.MinValue && _time.GetElapsedTime(_lastRefreshStarted, now) < _settings.MinRefreshInterval))
            {
                return;
            }

            _lastRefreshStarted = now;
            _refresh = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(_disposing.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    ClusterLog.RefreshFailed(_logger, ex.Message);
                }
            });
        }
    }

    private async Task WaitForRefreshAsync()
    {
        Task refresh;
        lock (_refreshGate)
        {
            refresh = _refresh;
        }

        try
        {
            await refresh.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Logged by the refresh itself.
        }
    }

    /// <summary>
    /// Reads <c>CLUSTER SLOTS</c> from the first node that answers: connected masters first (in random order),
    /// then every other known node and the seeds over a short-lived connection. Returns false when none did.
    /// </summary>
    internal async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var map = SlotMap;
        List<(RedisEndpoint Endpoint, RedisClient Client)> connected = [];
        lock (_gate)
        {
            foreach (var (endpoint, node) in _nodes)
            {
                if (node.IsCompletedSuccessfully && node.Result.IsConnected && map.Masters.Contains(endpoint))
                {
                    connected.Add((endpoint, node.Result));
                }
            }
        }

        _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(connected));
        var reasons = new List<string>();
        foreach (var (endpoint, client) in connected)
        {
            if (await TryReadSlotsAsync(endpoint, client, reasons, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        foreach (var endpoint in map.Nodes.Concat(_seeds).Distinct().Except(connected.Select(c => c.Endpoint)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var options = NodeOptions(endpoint);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = options.ConnectTimeout < _settings.RefreshTimeout ? options.ConnectTimeout : _settings.RefreshTimeout;
            RedisClient? client = null;
            try
            {
                client = await RedisClient.ConnectAsync(options, new StandaloneEndpointResolver([endpoint]), _loggerFactory, _time, _random, cancellationToken).ConfigureAwait(false);
                if (await TryReadSlotsAsync(endpoint, client, reasons, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException && !cancellationToken.IsCancellationRequested)
            {
                reasons.Add($"{endpoint}: {ex.Message}");
            }
            finally
            {
                if (client is not null)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        ClusterLog.RefreshFailed(_logger, reasons.Count == 0 ? "no node known" : string.Join(" | ", reasons));
        return false;
    }

    private async Task<bool> TryReadSlotsAsync(RedisEndpoint endpoint, RedisClient client, List<string> reasons, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_settings.RefreshTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        RespValue reply;
        try
        {
            reply = await client.ExecuteAsync("CLUSTER", SlotsArgs, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is RedisConnectionException or RedisTimeoutException or RedisServerException or OperationCanceledException)
        {
            reasons.Add($"{endpoint}: {ex.Message}");
            return false;
        }

        if (!ClusterSlotMap.TryParse(reply, endpoint, out var map, out var error) || map!.CoveredSlots == 0)
        {
            ClusterLog.SlotsMalformed(_logger, endpoint, error ?? "no slot is served");
            reasons.Add($"{endpoint}: {error ?? "no slot is served"}");
            return false;
        }

        Apply(map, endpoint);
        return true;
    }

    /// <summary>Installs a new map; closes the connections to nodes that are no longer masters.</summary>
    private void Apply(ClusterSlotMap map, RedisEndpoint source)
    {
        var previous = Interlocked.Exchange(ref _map, map);
        Interlocked.Increment(ref _refreshes);
        if (!previous.HasSameShards(map) && _logger.IsEnabled(LogLevel.Information))
        {
            ClusterLog.Topology(_logger, source, map.Masters.Count, map.CoveredSlots, string.Join(", ", map.Shards.Select(s => $"{s.Start}-{s.End}@{s.Master}")));
        }

        List<(RedisEndpoint Endpoint, Task<RedisClient> Client)> dropped = [];
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            foreach (var endpoint in _nodes.Keys.Where(e => !map.Masters.Contains(e)).ToList())
            {
                dropped.Add((endpoint, _nodes[endpoint]));
                _nodes.Remove(endpoint);
            }

            foreach (var endpoint in _askingNodes.Keys.Where(e => !map.Masters.Contains(e)).ToList())
            {
                dropped.Add((endpoint, _askingNodes[endpoint].Client));
                _askingNodes.Remove(endpoint);
            }
        }

        foreach (var (endpoint, client) in dropped)
        {
            ClusterLog.NodeDropped(_logger, endpoint);
            _ = DisposeQuietlyAsync(client).AsTask();
        }
    }
}
