using System.Globalization;
using Microsoft.Extensions.Logging;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

/// <summary>
/// One memcached server: its pipelined connection, each call's timeout and cancellation, and whether it is used.
/// A node is marked down when it refuses a connection, loses one, or times out <see cref="MemcachedNodeSettings.MarkDownAfterTimeouts"/>
/// times in a row; calls to a down node fail at once (the store then uses the key's backup node), and start a
/// probe at most every <see cref="MemcachedNodeSettings.ProbeInterval"/>. A probe that connects re-admits the node
/// only once it cannot serve anything stale: either its uptime proves it restarted (empty) while it was down, or
/// it has been flushed.
/// </summary>
internal sealed partial class MemcachedNode : IAsyncDisposable
{
    private readonly MemcachedNodeSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private MemcachedConnection? _connection;
    private Task<MemcachedConnection>? _firstConnect;
    private MemcachedNodeState _state = MemcachedNodeState.NotConnected;
    private long _downSince;
    private long _lastProbe;
    private int _probing;
    private int _consecutiveTimeouts;
    private uint _nextOpaque;
    private long _flushes;
    private long _timesDown;

    public MemcachedNode(string host, int port, MemcachedNodeSettings settings, TimeProvider time, ILogger logger)
    {
        Host = host;
        Port = port;
        Endpoint = $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary><c>host:port</c>.</summary>
    public string Endpoint { get; }

    public MemcachedNodeState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>True while calls to this node fail at once.</summary>
    public bool IsDown => State == MemcachedNodeState.Down;

    /// <summary>How long the node has been down; zero while it is not.</summary>
    public TimeSpan DownFor
    {
        get
        {
            lock (_gate)
            {
                return _state == MemcachedNodeState.Down ? _time.GetElapsedTime(_downSince) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Decides whether a returning node needs a flush; null flushes always.</summary>
    public IReadmissionPolicy? Readmission { get; set; }

    /// <summary>A short, key-safe name of this node (for marks other nodes keep about it).</summary>
    public string Tag { get; init; } = "";

    /// <summary>What the last handshake learned; null before the first.</summary>
    public MemcachedServerInfo? Info { get; private set; }

    /// <summary>How many times this node was flushed on re-admission.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>How many times this node was marked down.</summary>
    public long TimesDown => Interlocked.Read(ref _timesDown);

    /// <summary>Sends an <c>mg</c>.</summary>
    public Task<MemcachedResponse> GetAsync(ReadOnlySpan<byte> key, MetaGetFlags flags, int touchTtlSeconds, CancellationToken cancellationToken) =>
        ExecuteAsync(MemcachedRequest.Get(key, flags, touchTtlSeconds, NextOpaque()), cancellationToken);

    /// <summary>Sends an <c>ms</c>; refuses a value the node cannot hold before sending it.</summary>
    public Task<MemcachedResponse> SetAsync(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MetaSetOptions options, CancellationToken cancellationToken)
    {
        var limit = Info?.ItemSizeMax ?? MetaReaderLimits.Default.MaxValueLength;
        var itemBytes = ItemBytes(key.Length, value.Length);
        if (itemBytes > limit)
        {
            throw new MemcachedItemTooLargeException($"An item of {itemBytes} bytes (value, key and header) does not fit in memcached {Endpoint}'s item_size_max of {limit} bytes; it was not sent, because memcached deletes the item an oversized store would replace.")
            {
                ItemBytes = itemBytes,
                Limit = limit,
            };
        }

        return ExecuteAsync(MemcachedRequest.Set(key, value, options, NextOpaque()), cancellationToken);
    }

    /// <summary>
    /// Sends an <c>ms</c> whose reply the caller does not wait for: <paramref name="sent"/> completes once the request is
    /// in the socket (so a later request on another connection finds it applied), the returned task with the reply.
    /// </summary>
    public Task<MemcachedResponse> SetBehind(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MetaSetOptions options, out Task sent)
    {
        var request = MemcachedRequest.Set(key, value, options, NextOpaque());
        sent = request.Sent;
        return ExecuteAsync(request, CancellationToken.None);
    }

    /// <summary>Sends an <c>md</c>.</summary>
    public Task<MemcachedResponse> DeleteAsync(ReadOnlySpan<byte> key, ulong cas, CancellationToken cancellationToken) =>
        ExecuteAsync(MemcachedRequest.Delete(key, cas, NextOpaque()), cancellationToken);

    /// <summary>Sends <c>mn</c> (a round trip that touches nothing).</summary>
    public Task<MemcachedResponse> NoOpAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(MemcachedRequest.Command("mn", MetaReplyShape.Meta), cancellationToken);

    /// <summary>Reads <c>stats</c> (or <c>stats &lt;group&gt;</c>).</summary>
    public async Task<Dictionary<string, string>> StatsAsync(string? group, CancellationToken cancellationToken)
    {
        var response = await ExecuteAsync(MemcachedRequest.Command(group is null ? "stats" : "stats " + group, MetaReplyShape.Stats), cancellationToken).ConfigureAwait(false);
        return MemcachedStats.Parse(response.Text);
    }

    /// <summary>The bytes an item takes against <c>item_size_max</c>: key, value, CRLF and memcached's item header (with CAS), rounded up.</summary>
    public static long ItemBytes(int keyLength, int valueLength) => (long)keyLength + valueLength + 2 + 64;

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        MemcachedConnection? connection;
        lock (_gate)
        {
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _disposed.Dispose();
    }

    private uint NextOpaque() => Interlocked.Increment(ref _nextOpaque);

    private async Task<MemcachedResponse> ExecuteAsync(MemcachedRequest request, CancellationToken cancellationToken)
    {
        if (IsDown)
        {
            request.ReleaseBuffer();
            request.MarkSent();
            TriggerProbe();
            throw new MemcachedConnectionException($"memcached {Endpoint} is marked down; calls to it fail at once until a probe re-admits it.") { Node = Endpoint };
        }

        using var timeout = new CancellationTokenSource(_settings.OperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var enqueued = false;
        try
        {
            var connection = await GetConnectionAsync(linked.Token).ConfigureAwait(false);
            connection.Enqueue(request);
            enqueued = true;
            var response = await request.Completion.WaitAsync(linked.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _consecutiveTimeouts, 0);
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            Abandon(request, enqueued);
            OnTimeout();
            throw new MemcachedTimeoutException($"memcached {Endpoint} did not answer {request.Description} within {_settings.OperationTimeout.TotalMilliseconds:F0} ms; whether it took effect is unknown.") { Node = Endpoint };
        }
        catch (OperationCanceledException)
        {
            Abandon(request, enqueued);
            throw;
        }
        catch (MemcachedTimeoutException)
        {
            OnTimeout();
            throw;
        }
        finally
        {
            if (!enqueued)
            {
                request.ReleaseBuffer();
                request.MarkSent();
            }
        }
    }

    private static void Abandon(MemcachedRequest request, bool enqueued)
    {
        request.Abandon();
        if (!enqueued)
        {
            request.ReleaseBuffer();
        }

        // The reply (or failure) still comes; observe it so that nothing goes unobserved.
        _ = request.Completion.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnTimeout()
    {
        if (Interlocked.Increment(ref _consecutiveTimeouts) >= _settings.MarkDownAfterTimeouts)
        {
            MarkDown($"{_settings.MarkDownAfterTimeouts} timeouts in a row", null);
        }
    }

    private async Task<MemcachedConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        Task<MemcachedConnection>? connecting = null;
        lock (_gate)
        {
            if (_connection is { IsAlive: true } live)
            {
                return live;
            }

            if (_state == MemcachedNodeState.NotConnected)
            {
                connecting = _firstConnect ??= FirstConnectAsync();
            }
        }

        if (connecting is null)
        {
            // Up with a dead connection: its close callback may not have run yet. Mark the node down here, before this
            // call fails, so that a caller who sees the failure also sees the node down (MarkDown acts once).
            var lost = new MemcachedConnectionException($"The connection to memcached {Endpoint} was lost.") { Node = Endpoint };
            MarkDown(lost.Message, lost);
            throw lost;
        }

        return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<MemcachedConnection> FirstConnectAsync()
    {
        try
        {
            var (connection, info) = await OpenAsync().ConfigureAwait(false);
            lock (_gate)
            {
                if (_state == MemcachedNodeState.NotConnected)
                {
                    Adopt(connection, info);
                    return connection;
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw new MemcachedConnectionException($"memcached {Endpoint} is marked down.") { Node = Endpoint };
        }
        catch (Exception ex)
        {
            MarkDown("the first connection failed", ex);
            throw ex as MemcachedConnectionException ?? new MemcachedConnectionException($"Could not connect to memcached {Endpoint}: {ex.Message}", ex) { Node = Endpoint };
        }
    }

    /// <summary>Must be called holding the gate.</summary>
    private void Adopt(MemcachedConnection connection, MemcachedServerInfo info)
    {
        _connection = connection;
        Info = info;
        _state = MemcachedNodeState.Up;
        _consecutiveTimeouts = 0;
        connection.OnClosed(OnConnectionClosed);
    }

    private void OnConnectionClosed(MemcachedConnection connection, Exception reason)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return;
            }
        }

        MarkDown(reason.Message, reason);
    }

    /// <summary>Stops using the node until a probe re-admits it.</summary>
    internal void MarkDown(string reason, Exception? exception)
    {
        MemcachedConnection? connection;
        lock (_gate)
        {
            if (_state == MemcachedNodeState.Down)
            {
                return;
            }

            _state = MemcachedNodeState.Down;
            _downSince = _time.GetTimestamp();
            connection = _connection;
            _connection = null;
            _firstConnect = null;
        }

        Interlocked.Increment(ref _timesDown);
        _logger.NodeDown(exception, Endpoint, reason);
        if (connection is not null)
        {
            _ = connection.DisposeAsync().AsTask();
        }
    }
}
