using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickless.Replication.AllToAll;
using Stickless.Replication.Membership;
using Stickless.Replication.Placement;
using Stickless.Replication.PrimaryBackup;
using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

/// <summary>
/// Sessions kept in the app nodes' own memory and copied between them over the peer protocol: <see cref="ReplicationMode.PrimaryBackup"/>
/// (an owner and a backup per session, chosen by rendezvous hashing over the Ready nodes; other nodes ask the owner) or
/// <see cref="ReplicationMode.AllToAll"/> (every node holds every session; reads are local). In both modes the owner
/// orders every write of a session under a lock per session: compare-and-set, versions per attribute and tombstones
/// live there, and each write is copied before the commit answers (<see cref="ReplicationAcknowledgement.Sync"/>, the
/// default) or afterwards.
/// </summary>
/// <remarks>
/// <para>
/// A node starts <see cref="PeerStatus.Joining"/>: empty, refusing every call (<see cref="PingAsync"/> throws, so a
/// health check answers 503), until it has received the sessions it must hold from the Ready nodes; then it is Ready.
/// When a node dies, the survivors drop it from their views: the backup of each of its sessions is the new owner
/// (it begins a new epoch, which fences off the old owner should it come back) and copies the session to the new
/// backup. At a partition's heal each owner pulls the other side's copies: a delete on either side wins, a session
/// written on both sides keeps the later history and is counted as a conflict.
/// </para>
/// <para>
/// Failures throw <see cref="SessionStoreUnavailableException"/>: the owner unreachable, a copy not acknowledged in
/// sync mode (the write stays applied at the owner: the outcome is unknown to the caller, as with Redis WAIT), this
/// node not Ready. The background loops (heartbeats, probes, transfer, sweep) run between <see cref="StartAsync"/> and
/// <see cref="StopAsync"/>.
/// </para>
/// </remarks>
public sealed partial class ReplicatedSessionStore : ISessionStore, ISessionStoreLifecycle, IPeerMessageHandler, IAsyncDisposable
{
    /// <summary>The store's name in <c>Stickless:Store</c>: <c>Replication</c>.</summary>
    public const string StoreName = "Replication";

    private readonly ReplicatedSessionStoreOptions _options;
    private readonly LocalNode _self;
    private readonly PeerFrameCodec _codec;
    private readonly PeerTraffic _traffic;
    private readonly PeerClient _client;
    private readonly PeerMembership _membership;
    private readonly ReplicaTable _table = new();
    private readonly IReplicationTopology _topology;
    private readonly TimeProvider _time;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ReplicationMetrics _metrics;
    private readonly SessionEventPublisher _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly SemaphoreSlim _rebalanceGate = new(1, 1);
    private readonly int _maxValueBytes;
    private int _started;
    private int _rebalancePending;

    /// <summary>Creates the store for this node; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Validated options (see <see cref="ReplicatedSessionStoreOptions.Validate"/>).</param>
    /// <param name="timeProvider">The store's clock (default the system clock): expiry, timestamps, heartbeats.</param>
    /// <param name="loggerFactory">Optional loggers.</param>
    /// <param name="meterFactory">Optional meter factory (metrics on the meter <c>Stickless</c>).</param>
    /// <param name="events">Lifecycle events (default none). Raised on the node that applied the change.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public ReplicatedSessionStore(
        ReplicatedSessionStoreOptions options,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        SessionEventPublisher? events = null)
        : this(options, timeProvider ?? TimeProvider.System, timeProvider ?? TimeProvider.System, loggerFactory, meterFactory, events)
    {
    }

    /// <summary>
    /// Creates the store with separate clocks: <paramref name="sessionClock"/> for session timestamps and expiry,
    /// <paramref name="membershipClock"/> for heartbeats, timeouts and frame timestamps (tests move the first by hand while
    /// the peers keep talking in real time).
    /// </summary>
    internal ReplicatedSessionStore(
        ReplicatedSessionStoreOptions options,
        TimeProvider sessionClock,
        TimeProvider membershipClock,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory,
        SessionEventPublisher? events)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = ReplicatedSessionStoreOptionsValidator.Errors(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid replication options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _time = membershipClock;
        _clock = sessionClock;
        _logger = loggerFactory?.CreateLogger<ReplicatedSessionStore>() ?? (ILogger)NullLogger.Instance;
        _events = events ?? SessionEventPublisher.None;
        _self = new LocalNode(options.NodeId);
        _codec = new PeerFrameCodec(options.Secret, options.MaxMessageBytes);
        _maxValueBytes = options.MaxMessageBytes;
        _topology = options.Mode == ReplicationMode.AllToAll ? AllToAllTopology.Instance : PrimaryBackupTopology.Instance;
        _metrics = new ReplicationMetrics(meterFactory?.Create(ReplicationMetrics.MeterName), () => _table.LiveSessions, () => _table.LiveBytes, () => _table.Tombstones);
        _traffic = new PeerTraffic(_metrics.Meter);
        var urls = options.Peers.ToDictionary(p => p.NodeId, p => new Uri(p.Url.TrimEnd('/') + "/"), StringComparer.Ordinal);
        _client = new PeerClient(_self, _codec, _traffic, urls, _time, options.PeerTimeout);
        _membership = new PeerMembership(_self, urls.Keys, _client, options, _time, _logger);
        Server = new PeerServer(_self, _codec, _traffic, _time, options.MaxClockSkew, urls.Keys, _logger) { Handler = this };
        Server.Heard = (peer, incarnation) => _membership.Observe(peer, incarnation, status: null);
        _membership.ViewChanged += _ => ScheduleRebalance();
        _membership.PeerReturned += OnPeerReturned;
        _membership.SelfPaused += OnSelfPaused;
    }

    /// <inheritdoc />
    public string Name => StoreName;

    /// <summary>This node's id.</summary>
    public string NodeId => _self.NodeId;

    /// <summary>The replication mode.</summary>
    public ReplicationMode Mode => _options.Mode;

    /// <summary>What this node says about itself: Joining until its state has arrived, then Ready.</summary>
    public PeerStatus Status => _membership.Status;

    /// <summary>This node's current view of the cluster.</summary>
    public ClusterView View => _membership.View;

    /// <summary>Every peer as this node sees it.</summary>
    public IReadOnlyList<MembershipSnapshot> Peers => _membership.Peers;

    /// <summary>The options the store runs with.</summary>
    public ReplicatedSessionStoreOptions Options => _options;

    /// <summary>The receiving end of the peer protocol; the app's Kestrel hands it the requests to <c>/stickless/peer</c>.</summary>
    internal PeerServer Server { get; }

    /// <summary>The owner of <paramref name="sessionId"/> in this node's view, or null when no node is Ready.</summary>
    public string? OwnerOf(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return RendezvousPlacement.Owner(sessionId, _membership.View.Ready);
    }

    /// <summary>This node's figures (see <see cref="ReplicationStatistics"/>).</summary>
    public ReplicationStatistics GetStatistics() => new()
    {
        NodeId = _self.NodeId,
        Mode = _options.Mode.ToString(),
        Ack = _options.Ack.ToString(),
        Status = _membership.Status,
        SessionsHeld = _table.LiveSessions,
        BytesHeld = _table.LiveBytes,
        Tombstones = _table.Tombstones,
        Writes = _metrics.Writes,
        LocalLoads = _metrics.LocalLoads,
        ForwardedLoads = _metrics.ForwardedLoads,
        ForwardedLoadSeconds = Math.Round(_metrics.ForwardedLoadSeconds, 6),
        ForwardedCommits = _metrics.ForwardedCommits,
        Conflicts = _metrics.Conflicts,
        DeletesWon = _metrics.DeletesWon,
        CopyFailures = _metrics.CopyFailures,
        Traffic = _traffic.Snapshot(),
    };

    /// <summary>
    /// Starts the heartbeats and the joining (state transfer), then the expiry sweep. Returns at once: the node becomes
    /// Ready in the background, once its state has arrived. Never blocks on peers, because the peer endpoint only
    /// answers once the app's server has started.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return Task.CompletedTask;
        }

        _membership.Start();
        _loops.Add(Task.Run(() => JoinLoopAsync(_stopping.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => SweepLoopAsync(_stopping.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Says Leaving to the peers (so they stop routing here at once), then stops every loop and waits for them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) != 1)
        {
            return;
        }

        try
        {
            if (_membership.Status == PeerStatus.Ready)
            {
                using var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                leave.CancelAfter(_options.PeerTimeout);
                await _membership.SetStatusAsync(PeerStatus.Leaving, leave.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Best effort: the others will notice the silence.
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _membership.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Stops the loops (see <see cref="StopAsync"/>) and closes the peer connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    /// <remarks>Throws <see cref="SessionStoreUnavailableException"/> while this node is not Ready (joining, leaving, or just resumed from a pause).</remarks>
    public ValueTask PingAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureServing();
        return ValueTask.CompletedTask;
    }

    /// <summary>Throws unless this node may answer: Ready, and its heartbeat loop has run recently.</summary>
    private void EnsureServing()
    {
        if (!IsServing(out var reason))
        {
            throw new SessionStoreUnavailableException($"Replication node {_self.NodeId} is not serving: {reason}.");
        }
    }

    private bool IsServing(out string reason)
    {
        if (_membership.Status != PeerStatus.Ready)
        {
            reason = $"it is {_membership.Status}";
            return false;
        }

        if (_membership.SinceLastTick > _membership.PauseThreshold)
        {
            reason = "its heartbeat is late (paused?)";
            return false;
        }

        if (_options.RequireQuorum && _membership.View.Ready.Count < _options.Peers.Count / 2 + 1)
        {
            reason = $"it sees {_membership.View.Ready.Count} of {_options.Peers.Count} nodes Ready, not a majority";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private bool IsOwner(string sessionId, ClusterView view) => RendezvousPlacement.Owner(sessionId, view.Ready) == _self.NodeId;
}
