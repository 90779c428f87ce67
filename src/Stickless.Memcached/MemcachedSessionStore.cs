using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Memcached.Connections;

namespace Stickless.Memcached;

/// <summary>
/// Sessions on a ring of memcached nodes: one item per session under a keyed hash of its id, placed by a
/// libmemcached-compatible ketama ring, read in one round trip, committed with compare-and-set (re-applying the change
/// set on a conflict), created with add so nothing is resurrected, deleted with a tombstone so a delete wins, and
/// optionally copied to the next distinct node after the primary write.
/// </summary>
/// <remarks>
/// <para>
/// Placement never changes: when a node is down its sessions are served, and written, at their backup key on the next
/// distinct node ("acting primary"). A node that comes back is re-admitted only after a flush or proof that it restarted
/// empty, and sessions it misses are read from the backup and copied back. What this guarantees, and where it falls short
/// of DESIGN.md (id rotation across two nodes is two steps; a node's health is each app node's own view), is in the
/// README.
/// </para>
/// <para>
/// Times are the app nodes' clock (the injected <see cref="TimeProvider"/>): memcached has no clock a client can read,
/// so the item header carries the deadlines and memcached's TTL (whole seconds, rounded up, plus one) only makes sure
/// the item is gone soon after.
/// </para>
/// </remarks>
public sealed partial class MemcachedSessionStore : ISessionStore, ISessionStoreLifecycle, IAsyncDisposable, IDisposable
{
    /// <summary>The store's name, as registered by <c>AddMemcached</c>: <c>Memcached</c>.</summary>
    public const string StoreName = "Memcached";

    private readonly MemcachedSessionStoreOptions _options;
    private readonly MemcachedTopology _topology;
    private readonly SessionKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SessionEventPublisher _events;
    private readonly SemaphoreSlim[] _commitStripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];
    private CancellationTokenSource? _probing;
    private Task _probeLoop = Task.CompletedTask;

    /// <summary>Creates the store. Nothing connects before the first call; no background work runs before <see cref="StartAsync"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="timeProvider">The clock (times, timeouts, probes); the system clock by default.</param>
    /// <param name="events">Lifecycle events (created, renewed, deleted) of this app node's calls; none by default.</param>
    /// <param name="logger">Logging; none by default.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public MemcachedSessionStore(MemcachedSessionStoreOptions options, TimeProvider? timeProvider = null, SessionEventPublisher? events = null, ILogger<MemcachedSessionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid memcached session store options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _events = events ?? SessionEventPublisher.None;
        _keys = new SessionKeys(options.HashKey, options.KeyPrefix);
        _topology = new MemcachedTopology(options.ParseServers(), options, _time, _logger);
    }

    /// <inheritdoc />
    public string Name => StoreName;

    /// <summary>The configured servers, in configuration order.</summary>
    public IReadOnlyList<MemcachedServerAddress> Servers => _topology.Servers;

    /// <summary>Whether each configured server is in use, in configuration order.</summary>
    public IReadOnlyList<MemcachedNodeState> NodeStates => [.. _topology.Nodes.Select(n => n.State)];

    /// <summary>How many times each node was flushed before being re-admitted, in configuration order.</summary>
    public IReadOnlyList<long> NodeFlushes => [.. _topology.Nodes.Select(n => n.Flushes)];

    /// <inheritdoc />
    /// <remarks>Answers when at least one node answers <c>mn</c>; calls to down nodes start their probes.</remarks>
    public async ValueTask PingAsync(CancellationToken cancellationToken)
    {
        var calls = _topology.Nodes.Select(n => n.NoOpAsync(cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception) when (calls.Any(c => c.IsCompletedSuccessfully))
        {
            return;
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException)
        {
            throw new SessionStoreUnavailableException($"No memcached node answers ({string.Join(", ", _topology.Servers)}).", ex);
        }
    }

    /// <summary>Starts probing down nodes every <see cref="MemcachedSessionStoreOptions.ProbeInterval"/> (calls to a down node also start a probe).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _probing = new CancellationTokenSource();
        _probeLoop = ProbeLoopAsync(_probing.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops the probe loop and waits for it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_probing is null)
        {
            return;
        }

        await _probing.CancelAsync().ConfigureAwait(false);
        try
        {
            await _probeLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _probing.Dispose();
        _probing = null;
    }

    /// <summary>Stops the probe loop and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _topology.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the probe loop and closes every connection (for containers disposed synchronously); waits at most 5 seconds.</summary>
    public void Dispose() => DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));

    /// <summary>Reads <c>stats</c> of every node, in configuration order; null for a node that does not answer (for the lab's dashboard).</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>?>> ReadNodeStatsAsync(CancellationToken cancellationToken)
    {
        var reads = _topology.Nodes.Select(async n =>
        {
            try
            {
                return (IReadOnlyDictionary<string, string>?)await n.StatsAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException)
            {
                return null;
            }
        });
        return await Task.WhenAll(reads).ConfigureAwait(false);
    }

    private async Task ProbeLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ProbeInterval, _time, cancellationToken).ConfigureAwait(false);
                foreach (var node in _topology.Nodes)
                {
                    if (node.IsDown)
                    {
                        await node.ProbeAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.ProbeLoopFailed(ex);
            }
        }
    }

    /// <summary>Runs a store operation, turning client failures into the contract's exceptions.</summary>
    private static async ValueTask<T> GuardAsync<T>(Func<ValueTask<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (MemcachedItemTooLargeException ex)
        {
            throw new SessionLimitExceededException(ex.Message, ex) { LimitName = "item_size_max", Limit = ex.Limit, Actual = ex.ItemBytes };
        }
        catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException)
        {
            throw new SessionStoreUnavailableException(ex.Message, ex);
        }
    }

    /// <summary>The clock, to the millisecond: items store Unix milliseconds, so what a call returns equals what a later load reads.</summary>
    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>The remaining life of a session as a memcached TTL: whole seconds rounded up, plus one for memcached's clock.</summary>
    private static int TtlFor(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var seconds = Math.Ceiling((expiresAt - now).TotalSeconds) + 1;
        return (int)Math.Clamp(seconds, 1, Protocol.MetaRequestWriter.MaxTtlSeconds);
    }
}
