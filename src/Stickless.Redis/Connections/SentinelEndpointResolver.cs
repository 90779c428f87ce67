using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// Sentinel mode, as Redis's client guidelines (redis.io, "Sentinel client spec") describe it. Every
/// (re)connection resolves again: (1) ask the sentinels in order, each with a short timeout, (2)
/// <c>SENTINEL get-master-addr-by-name</c>; a null reply means "this sentinel does not know the name", so the
/// next one is asked; the sentinel that answered moves to the front and the sentinels it knows
/// (<c>SENTINEL sentinels</c>) are added to the list; (3) after connecting, <c>ROLE</c> must say
/// <c>master</c>, otherwise the connection is rejected and the reconnect loop tries again after a short
/// backoff (a sentinel with stale information, or a failover half done). A <see cref="SentinelMonitor"/>
/// listens for <c>+switch-master</c> and makes every attached connection that is not on the new master
/// reconnect at once.
/// </summary>
internal sealed class SentinelEndpointResolver : IRedisEndpointResolver, IAsyncDisposable
{
    // The guidelines ask for "a few hundreds of milliseconds" per sentinel before trying the next one.
    private static readonly TimeSpan SentinelTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly ReadOnlyMemory<byte> GetMasterAddrByName = "get-master-addr-by-name"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Sentinels = "sentinels"u8.ToArray();

    private readonly string _serviceName;
    private readonly ReadOnlyMemory<byte> _serviceNameBytes;
    private readonly SentinelList _sentinels;
    private readonly RedisConnectionSettings _sentinelSettings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SentinelMonitor _monitor;
    private readonly Lock _gate = new();
    private readonly List<ReconnectingRedisConnection> _connections = [];

    public SentinelEndpointResolver(RedisConnectionOptions options, TimeProvider timeProvider, ILogger logger, Random random)
    {
        _serviceName = options.ServiceName ?? throw new ArgumentException("Sentinel mode needs a service name.", nameof(options));
        _serviceNameBytes = Encoding.UTF8.GetBytes(_serviceName);
        _sentinels = new SentinelList(options.Endpoints);
        _time = timeProvider;
        _logger = logger;
        var sentinelOptions = ForSentinels(options);
        _sentinelSettings = new RedisConnectionSettings(sentinelOptions, timeProvider, logger, "sentinel");
        _monitor = new SentinelMonitor(_serviceName, sentinelOptions, _sentinels, timeProvider, logger, random, OnSwitchMaster);
    }

    public bool FollowsFailover => true;

    /// <summary>The sentinels, best first (for tests and messages).</summary>
    public IReadOnlyList<RedisEndpoint> KnownSentinels => _sentinels.Snapshot();

    public string Describe() => $"Redis master '{_serviceName}' (sentinels {_sentinels})";

    public void Attach(ReconnectingRedisConnection connection)
    {
        lock (_gate) { _connections.Add(connection); }
    }

    public async ValueTask<IReadOnlyList<RedisEndpoint>> ResolveAsync(CancellationToken cancellationToken)
    {
        // Listen for +switch-master from now on, even if no sentinel answers yet: the monitor keeps trying.
        _monitor.Start();
        var sentinels = _sentinels.Snapshot();
        var failures = new List<string>(sentinels.Count);
        var unknown = 0;
        foreach (var sentinel in sentinels)
        {
            try
            {
                var (master, peers) = await AskAsync(sentinel, cancellationToken).ConfigureAwait(false);
                if (master is null)
                {
                    unknown++;
                    failures.Add($"{sentinel} does not know '{_serviceName}'");
                    continue;
                }
                _sentinels.Promote(sentinel);
                var added = _sentinels.AddMissing(peers);
                if (added > 0 && _logger.IsEnabled(LogLevel.Information)) { _logger.SentinelsDiscovered(added, _serviceName, _sentinels.ToString()); }
                _logger.SentinelResolved(_serviceName, master, sentinel);
                return [master];
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsSentinelFailure(ex))
            {
                _logger.SentinelUnavailable(sentinel, _serviceName, ex.Message);
                failures.Add($"{sentinel}: {ex.Message}");
            }
        }
        throw new RedisConnectionException(unknown == sentinels.Count
            ? $"No sentinel knows the master name '{_serviceName}' (sentinels {string.Join(", ", sentinels)} all answered null)."
            : $"Redis Sentinel is unreachable: no sentinel resolved the master '{_serviceName}' ({string.Join("; ", failures)}).");
    }

    public async ValueTask VerifyAsync(RedisPhysicalConnection connection, CancellationToken cancellationToken)
    {
        var reply = await connection.SendAsync("ROLE").WaitAsync(cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
        {
            throw new RedisConnectionException($"ROLE failed on Redis {connection.Endpoint}: {reply.ErrorMessage}") { Endpoint = connection.Endpoint };
        }
        var role = reply.IsAggregate && reply.Count > 0 ? reply[0].GetString() : reply.ToString();
        if (role != "master")
        {
            _logger.NotMaster(connection.Endpoint, _serviceName, role ?? "?");
            throw new RedisConnectionException(
                $"Redis {connection.Endpoint} is not the master of '{_serviceName}' (ROLE says {role}): the sentinels' answer was stale or a failover is in progress.")
            { Endpoint = connection.Endpoint };
        }
    }

    public ValueTask DisposeAsync() => _monitor.DisposeAsync();

    private void OnSwitchMaster(RedisEndpoint master)
    {
        ReconnectingRedisConnection[] connections;
        lock (_gate) { connections = [.. _connections]; }
        foreach (var connection in connections) { connection.ReconnectUnlessAt(master); }
    }

    /// <summary>Steps 1 and 2 against one sentinel: the master it reports (null when it does not know the name), and its peers.</summary>
    private async Task<(RedisEndpoint? Master, IReadOnlyList<RedisEndpoint> Peers)> AskAsync(RedisEndpoint sentinel, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(SentinelTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        RedisPhysicalConnection? connection = null;
        try
        {
            connection = await RedisPhysicalConnection.ConnectAsync(sentinel, _sentinelSettings, linked.Token).ConfigureAwait(false);
            await RedisHandshake.RunAsync(connection, _sentinelSettings.Options, linked.Token).ConfigureAwait(false);
            var masterReply = connection.SendAsync("SENTINEL", GetMasterAddrByName, _serviceNameBytes);
            var peersReply = connection.SendAsync("SENTINEL", Sentinels, _serviceNameBytes);
            var master = ParseMaster(sentinel, (await masterReply.WaitAsync(linked.Token).ConfigureAwait(false)).ThrowIfError());
            var peers = master is null ? [] : ParsePeers(await peersReply.WaitAsync(linked.Token).ConfigureAwait(false));
            return (master, peers);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RedisConnectionException($"Sentinel {sentinel} did not answer within {(long)SentinelTimeout.TotalMilliseconds} ms.", ex) { Endpoint = sentinel };
        }
        finally
        {
            if (connection is not null) { await connection.DisposeAsync().ConfigureAwait(false); }
        }
    }

    private static RedisEndpoint? ParseMaster(RedisEndpoint sentinel, RespValue reply)
    {
        if (reply.IsNull) { return null; }
        if (reply.IsAggregate && reply.Count == 2
            && reply[0].GetString() is { Length: > 0 } host
            && int.TryParse(reply[1].GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return new RedisEndpoint(host, port);
        }
        throw new RedisConnectionException($"Sentinel {sentinel} answered get-master-addr-by-name with {reply}, not an address.") { Endpoint = sentinel };
    }

    /// <summary>
    /// <c>SENTINEL sentinels</c> lists each peer as field/value pairs (a flat array in RESP2); only <c>ip</c>
    /// and <c>port</c> matter. A malformed or error reply just teaches nothing.
    /// </summary>
    private static RedisEndpoint[] ParsePeers(RespValue reply)
    {
        if (!reply.IsAggregate) { return []; }
        var peers = new List<RedisEndpoint>(reply.Count);
        foreach (var peer in reply.Items)
        {
            if (!peer.IsAggregate) { continue; }
            string? ip = null, port = null;
            for (var i = 0; i + 1 < peer.Count; i += 2)
            {
                switch (peer[i].GetString())
                {
                    case "ip": ip = peer[i + 1].GetString(); break;
                    case "port": port = peer[i + 1].GetString(); break;
                }
            }
            if (ip is { Length: > 0 } && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535)
            {
                peers.Add(new RedisEndpoint(ip, p));
            }
        }
        return [.. peers];
    }

    private static bool IsSentinelFailure(Exception ex) =>
        ex is RedisConnectionException or RedisTimeoutException or RedisServerException or RespProtocolException
            or OperationCanceledException or InvalidOperationException or IOException;

    /// <summary>The options for talking to sentinels: their own password, no database, no client name, RESP2.</summary>
    private static RedisConnectionOptions ForSentinels(RedisConnectionOptions options)
    {
        var sentinel = new RedisConnectionOptions
        {
            Password = options.SentinelPassword,
            Ssl = options.Ssl,
            SslHost = options.SslHost,
            CertificateValidation = options.CertificateValidation,
            ConnectTimeout = options.ConnectTimeout < SentinelTimeout ? options.ConnectTimeout : SentinelTimeout,
            CommandTimeout = options.CommandTimeout,
            AbortOnConnectFail = false,
            Protocol = RedisProtocol.Resp2,
            ReconnectMaxDelay = options.ReconnectMaxDelay,
            Reader = options.Reader,
        };
        foreach (var endpoint in options.Endpoints) { sentinel.Endpoints.Add(endpoint); }
        return sentinel;
    }
}
