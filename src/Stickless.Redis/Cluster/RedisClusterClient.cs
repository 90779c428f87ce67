using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Cluster;

/// <summary>
/// A Redis Cluster client: one <see cref="RedisClient"/> per master, each command sent to the master of its
/// first key's slot, MOVED and ASK followed, the slot map kept current.
/// </summary>
/// <remarks>
/// <para>Discovery: <c>CLUSTER SLOTS</c> from a configured (seed) node at connect; again in the background
/// after a MOVED, when a node is unreachable, on CLUSTERDOWN, and every
/// <see cref="RedisClusterSettings.RefreshInterval"/> (30 s), never more often than
/// <see cref="RedisClusterSettings.MinRefreshInterval"/> apart.</para>
/// <para>Redirections: MOVED patches the slot at once and the command is resent to the new owner; ASK sends
/// <c>ASKING</c> and the command to the importing node once, over a connection used only for that (so no other
/// caller's command can take the ASKING flag), and leaves the map alone. TRYAGAIN and CLUSTERDOWN are retried
/// after <see cref="RedisClusterSettings.TryAgainDelay"/>. Everything stays within
/// <see cref="RedisConnectionOptions.CommandTimeout"/> and the caller's token.</para>
/// <para>Failures: a command whose master is unreachable is not sent; it waits until the connection is back or
/// another node owns the slot (a failover), then goes there, or fails with
/// <see cref="RedisConnectionException"/> when the timeout ends first. A command in flight when its
/// connection drops may have run, so it fails and is not resent (as with <see cref="RedisClient"/>).</para>
/// <para>Pub/sub: classic PUBLISH reaches every node, so the subscription lives on one connection to any node,
/// which moves to another node when its own fails.</para>
/// </remarks>
internal sealed partial class RedisClusterClient : IRedisExecutor
{
    private readonly RedisConnectionOptions _options;
    private readonly RedisClusterSettings _settings;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly RedisEndpoint[] _seeds;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<RedisEndpoint, Task<RedisClient>> _nodes = [];
    private readonly Dictionary<RedisEndpoint, AskingNode> _askingNodes = [];
    private ClusterSlotMap _map = ClusterSlotMap.Empty;
    private Task<RedisClient>? _pubSub;
    private ITimer? _refreshTimer;
    private long _moved;
    private long _asked;
    private long _refreshes;
    private int _disposed;

    private RedisClusterClient(RedisConnectionOptions options, RedisClusterSettings settings, ILoggerFactory loggerFactory, TimeProvider time, Random random)
    {
        _options = options;
        _settings = settings;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RedisClusterClient>();
        _time = time;
        _random = random;
        _seeds = [.. options.Endpoints];
    }

    /// <inheritdoc />
    public bool IsCluster => true;

    /// <summary>The current slot map (for diagnostics and tests).</summary>
    public ClusterSlotMap SlotMap => Volatile.Read(ref _map);

    /// <summary>MOVED redirections followed so far.</summary>
    public long MovedCount => Interlocked.Read(ref _moved);

    /// <summary>ASK redirections followed so far.</summary>
    public long AskCount => Interlocked.Read(ref _asked);

    /// <summary>Slot maps read so far (the first one included).</summary>
    public long RefreshCount => Interlocked.Read(ref _refreshes);

    /// <summary>
    /// Reads the slot map from the first seed that answers and starts the periodic refresh. Connections to the
    /// masters open on first use.
    /// </summary>
    /// <exception cref="RedisConnectionException">No seed answered <c>CLUSTER SLOTS</c> (only when
    /// <see cref="RedisConnectionOptions.AbortOnConnectFail"/>; otherwise the client starts and keeps looking).</exception>
    public static async ValueTask<RedisClusterClient> ConnectAsync(
        RedisConnectionOptions options,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken,
        RedisClusterSettings? settings = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid Redis options: {string.Join(" ", errors)}", nameof(options));
        }

        var client = new RedisClusterClient(options.Clone(), settings ?? RedisClusterSettings.Default, loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System, random ?? Random.Shared);
        try
        {
            var found = await client.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (!found && options.AbortOnConnectFail)
            {
                throw new RedisConnectionException($"No Redis Cluster node of {string.Join(", ", options.Endpoints)} answered CLUSTER SLOTS.");
            }
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        client.StartPeriodicRefresh();
        return client;
    }

    /// <inheritdoc />
    public async ValueTask<RespValue> ExecuteAsync(string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(args);
        return (await RouteAsync(ClusterRouting.GetSlot(command, args), ClusterCall.ForCommand(command, args), cancellationToken).ConfigureAwait(false)).Reply;
    }

    /// <inheritdoc />
    public async ValueTask<RespValue> ExecuteOnNodeOfAsync(ReadOnlyMemory<byte> routingKey, string command, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(args);
        return (await RouteAsync(ClusterSlots.GetSlot(routingKey.Span), ClusterCall.ForCommand(command, args), cancellationToken).ConfigureAwait(false)).Reply;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The keys are in more than one slot.</exception>
    public async ValueTask<RespValue> EvalAsync(RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(args);
        return (await RouteAsync(SlotOfKeys(keys), ClusterCall.ForScript(script, keys, args), cancellationToken).ConfigureAwait(false)).Reply;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The keys are in more than one slot.</exception>
    public ValueTask<(RespValue Reply, long Acknowledged)> EvalAndWaitAsync(
        RedisScript script, ReadOnlyMemory<byte>[] keys, ReadOnlyMemory<byte>[] args, int replicas, TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        return RouteAsync(SlotOfKeys(keys), ClusterCall.ForScriptAndWait(script, keys, args, replicas, waitTimeout), cancellationToken);
    }

    /// <summary>The one slot of every key (-1 for none).</summary>
    private static int SlotOfKeys(ReadOnlyMemory<byte>[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var slot = -1;
        foreach (var key in keys)
        {
            var keySlot = ClusterSlots.GetSlot(key.Span);
            if (slot >= 0 && keySlot != slot)
            {
                throw new ArgumentException("In Redis Cluster every key of one script must be in one slot (give them one hash tag).", nameof(keys));
            }

            slot = keySlot;
        }

        return slot;
    }

    /// <inheritdoc />
    public async ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var reply = await ExecuteAsync("PUBLISH", [System.Text.Encoding.UTF8.GetBytes(channel), message], cancellationToken).ConfigureAwait(false);
        return reply.GetInt64();
    }

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(onMessage);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Task<RedisClient> pubSub;
        lock (_gate)
        {
            _pubSub ??= RedisClient.ConnectAsync(
                NodeOptions(_options.Endpoints.Count > 0 ? _options.Endpoints[0] : new RedisEndpoint("127.0.0.1", RedisEndpoint.DefaultPort)),
                new ClusterNodesResolver(() => [.. SlotMap.Nodes, .. _seeds.Except(SlotMap.Nodes)]),
                _loggerFactory,
                _time,
                _random,
                _disposing.Token).AsTask();
            pubSub = _pubSub;
        }

        var client = await pubSub.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await client.SubscribeAsync(channel, onMessage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every connection; calls in flight fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        _refreshTimer?.Dispose();
        List<Task<RedisClient>> clients;
        lock (_gate)
        {
            clients = [.. _nodes.Values, .. _askingNodes.Values.Select(a => a.Client)];
            if (_pubSub is not null)
            {
                clients.Add(_pubSub);
            }

            _nodes.Clear();
            _askingNodes.Clear();
        }

        foreach (var client in clients)
        {
            await DisposeQuietlyAsync(client).ConfigureAwait(false);
        }

        await WaitForRefreshAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    /// <summary>The options of a connection to one node: that endpoint only, never failing at creation (it reconnects).</summary>
    private RedisConnectionOptions NodeOptions(RedisEndpoint endpoint)
    {
        var options = _options.Clone();
        options.Endpoints.Clear();
        options.Endpoints.Add(endpoint);
        options.ServiceName = null;
        options.AbortOnConnectFail = false;
        return options;
    }

    private static async ValueTask DisposeQuietlyAsync(Task<RedisClient> client)
    {
        try
        {
            await (await client.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // It never connected, or is closing anyway.
        }
    }

    /// <summary>A connection used only for ASKING + command pairs, one pair at a time.</summary>
    private sealed record AskingNode(Task<RedisClient> Client, SemaphoreSlim Gate);
}
