using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Cluster;

internal sealed partial class RedisClusterClient
{
    /// <summary>Sends <paramref name="call"/> to the master of <paramref name="slot"/> (any master for -1), following redirections.</summary>
    private async ValueTask<(RespValue Reply, long Acknowledged)> RouteAsync(int slot, ClusterCall call, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var timeout = new CancellationTokenSource(_options.CommandTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _disposing.Token);
        var token = linked.Token;
        RedisEndpoint? askTarget = null;
        RedisEndpoint? endpoint = null;
        var redirects = 0;
        try
        {
            while (true)
            {
                endpoint = askTarget ?? await PickMasterAsync(slot, token).ConfigureAwait(false);
                try
                {
                    if (askTarget is not null)
                    {
                        return await SendAskingAsync(askTarget, call, token).ConfigureAwait(false);
                    }

                    var node = await GetNodeAsync(endpoint, token).ConfigureAwait(false);
                    return await call.SendAsync(node, token).ConfigureAwait(false);
                }
                catch (RedisServerException ex) when (ex.IsMoved && redirects < _settings.MaxRedirects && ClusterRedirect.TryParse(ex.Message, endpoint, out var redirect))
                {
                    redirects++;
                    if (redirect.IsAsk)
                    {
                        Interlocked.Increment(ref _asked);
                        ClusterLog.Ask(_logger, redirect.Slot, redirect.Endpoint);
                        askTarget = redirect.Endpoint;
                    }
                    else
                    {
                        Interlocked.Increment(ref _moved);
                        ClusterLog.Moved(_logger, redirect.Slot, redirect.Endpoint);
                        SlotMap.Redirect(redirect.Slot, redirect.Endpoint);
                        askTarget = null;
                        RequestRefresh();
                    }
                }
                catch (RedisServerException ex) when (ex.ErrorCode is "TRYAGAIN" or "CLUSTERDOWN")
                {
                    // TRYAGAIN: a multi-key command met a slot half migrated; CLUSTERDOWN: the cluster is failing
                    // over or lost a slot. Both pass; wait a little and ask the owner again.
                    askTarget = null;
                    if (ex.ErrorCode == "CLUSTERDOWN")
                    {
                        RequestRefresh();
                    }

                    await Task.Delay(_settings.TryAgainDelay, _time, token).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 0)
                {
                    // The node's connection was closed by a refresh that found it no longer a master: pick again.
                    askTarget = null;
                }
                catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
                {
                    RequestRefresh();
                    throw;
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            RequestRefresh();
            throw new RedisTimeoutException(
                $"Redis Cluster: {call.Command} for slot {slot} got no answer within {(long)_options.CommandTimeout.TotalMilliseconds} ms (last node tried: {endpoint?.ToString() ?? "none"}).", ex)
            { Endpoint = endpoint };
        }
    }

    /// <summary>
    /// The master to send to. While that master is unreachable, nothing is sent (so nothing can run twice):
    /// the map is refreshed and looked at again until the master is back or another owns the slot.
    /// </summary>
    private async ValueTask<RedisEndpoint> PickMasterAsync(int slot, CancellationToken cancellationToken)
    {
        while (true)
        {
            var map = SlotMap;
            var endpoint = slot >= 0 ? map.GetMaster(slot) ?? AnyMaster(map) : AnyMaster(map);
            if (endpoint is not null)
            {
                var node = await GetNodeAsync(endpoint, cancellationToken).ConfigureAwait(false);
                if (node.IsConnected)
                {
                    return endpoint;
                }
            }

            RequestRefresh();
            await Task.Delay(_settings.UnreachablePollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A master for keyless commands: the first one connected, else the first one known.</summary>
    private RedisEndpoint? AnyMaster(ClusterSlotMap map)
    {
        lock (_gate)
        {
            foreach (var master in map.Masters)
            {
                if (_nodes.TryGetValue(master, out var node) && node.IsCompletedSuccessfully && node.Result.IsConnected)
                {
                    return master;
                }
            }
        }

        return map.Masters.Count > 0 ? map.Masters[0] : _seeds.FirstOrDefault();
    }

    /// <summary>The shared connection to <paramref name="endpoint"/>, opened on first use.</summary>
    private Task<RedisClient> GetNodeAsync(RedisEndpoint endpoint, CancellationToken cancellationToken)
    {
        Task<RedisClient> node;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_nodes.TryGetValue(endpoint, out node!) || node.IsFaulted || node.IsCanceled)
            {
                node = ConnectNodeAsync(endpoint);
                _nodes[endpoint] = node;
            }
        }

        return node.IsCompletedSuccessfully ? node : node.WaitAsync(cancellationToken);
    }

    private Task<RedisClient> ConnectNodeAsync(RedisEndpoint endpoint) =>
        RedisClient.ConnectAsync(NodeOptions(endpoint), new StandaloneEndpointResolver([endpoint]), _loggerFactory, _time, _random, _disposing.Token).AsTask();

    /// <summary>ASKING and the call, alone on a connection kept for that, so no other command can take the ASKING flag.</summary>
    private async ValueTask<(RespValue Reply, long Acknowledged)> SendAskingAsync(RedisEndpoint endpoint, ClusterCall call, CancellationToken cancellationToken)
    {
        AskingNode asking;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_askingNodes.TryGetValue(endpoint, out asking!) || asking.Client.IsFaulted || asking.Client.IsCanceled)
            {
                asking = new AskingNode(ConnectNodeAsync(endpoint), new SemaphoreSlim(1, 1));
                _askingNodes[endpoint] = asking;
            }
        }

        var client = await asking.Client.WaitAsync(cancellationToken).ConfigureAwait(false);
        await asking.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call.SendAfterAskingAsync(client, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            asking.Gate.Release();
        }
    }
}
