using Microsoft.Extensions.Logging;
using Stickless.Replication.Transport;

namespace Stickless.Replication.Membership;

/// <summary>
/// Failure detection over the static peer list: every node pings every other node each heartbeat; a peer silent
/// for <see cref="ReplicatedSessionStoreOptions.SuspectAfter"/> is suspect and up to two other live peers are asked
/// to probe it (indirect probes, so one broken link does not kill a node); silent for
/// <see cref="ReplicatedSessionStoreOptions.DeadAfter"/> it is dead and leaves the view. A refused connection (nothing
/// listens: the process is gone) skips the wait when the probes agree. A new incarnation is a new member; a dead
/// peer heard again with the same incarnation has "returned" (a partition healed, or it was paused) and the store
/// reconciles with it.
/// </summary>
/// <remarks>
/// The view is local: there is no agreement protocol (2 nodes cannot have a quorum). Safety comes from the store's
/// fencing, not from views agreeing. A node that finds its own heartbeat loop ran late by more than the suspicion
/// time (a GC pause, SIGSTOP) assumes the others may have declared it dead and reports <see cref="SelfPaused"/>.
/// </remarks>
internal sealed class PeerMembership : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly LocalNode _self;
    private readonly Dictionary<string, PeerRecord> _peers;
    private readonly PeerClient _client;
    private readonly TimeProvider _time;
    private readonly ReplicatedSessionStoreOptions _options;
    private readonly ILogger _logger;
    private readonly HashSet<string> _pinging = new(StringComparer.Ordinal);
    private PeerStatus _status = PeerStatus.Joining;
    private ClusterView _view;
    private long _lastTick;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public PeerMembership(LocalNode self, IEnumerable<string> peers, PeerClient client, ReplicatedSessionStoreOptions options, TimeProvider time, ILogger logger)
    {
        _self = self;
        _peers = peers.Where(p => p != self.NodeId).ToDictionary(p => p, p => new PeerRecord(p), StringComparer.Ordinal);
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _view = new ClusterView(0, [], []);
        _client.Heard = Heard;
    }

    /// <summary>Raised (on a pool thread, never under a lock) with the new view after every change.</summary>
    public event Action<ClusterView>? ViewChanged;

    /// <summary>Raised with a peer's id when a peer this node had declared dead answers again with the same incarnation.</summary>
    public event Action<string>? PeerReturned;

    /// <summary>Raised when this node's own heartbeat loop ran late by more than the suspicion time.</summary>
    public event Action? SelfPaused;

    /// <summary>This node's id.</summary>
    public string NodeId => _self.NodeId;

    /// <summary>The current view.</summary>
    public ClusterView View => Volatile.Read(ref _view);

    /// <summary>What this node says about itself.</summary>
    public PeerStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>
    /// How long ago the heartbeat loop last ran. The store refuses to serve while this exceeds the suspicion time:
    /// a node just resumed from a pause must not answer from a state the others may have moved past.
    /// </summary>
    public TimeSpan SinceLastTick => _lastTick == 0 ? TimeSpan.Zero : _time.GetElapsedTime(Volatile.Read(ref _lastTick));

    /// <summary>How late the heartbeat loop may run before this node assumes the others may have declared it dead: <c>DeadAfter − HeartbeatInterval</c>.</summary>
    public TimeSpan PauseThreshold => _options.DeadAfter - _options.HeartbeatInterval;

    /// <summary>Every peer as this node sees it.</summary>
    public IReadOnlyList<MembershipSnapshot> Peers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers.Values.OrderBy(p => p.NodeId, StringComparer.Ordinal).Select(p => new MembershipSnapshot(p.NodeId, p.Incarnation, p.Status, p.Liveness))];
            }
        }
    }

    /// <summary>The peers that are alive (Ready or Joining) in this node's view, self excluded.</summary>
    public IReadOnlyList<string> AlivePeers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers.Values.Where(p => p.Liveness is PeerLiveness.Alive or PeerLiveness.Suspect).Select(p => p.NodeId).Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The peers that were ever heard from this incarnation and are not dead (for a joining node: whom to ask for state).</summary>
    public bool HasHeardFromEveryPeer
    {
        get
        {
            lock (_gate)
            {
                return _peers.Values.All(p => p.Liveness != PeerLiveness.Unknown);
            }
        }
    }

    /// <summary>
    /// True when no peer can hold state this node lacks: every peer is alive and Joining, or was never heard from since
    /// this node started (a cluster starting). False while any peer is Ready, or was heard and then went silent (dead,
    /// suspect): it may hold sessions, and this node must wait for it rather than start empty.
    /// </summary>
    public bool IsClusterStarting
    {
        get
        {
            lock (_gate)
            {
                return _peers.Values.All(p => p.Liveness == PeerLiveness.Unknown || (p.Liveness == PeerLiveness.Alive && p.Status == PeerStatus.Joining));
            }
        }
    }

    /// <summary>True when <paramref name="peer"/> is alive (Ready or Joining) in this node's view.</summary>
    public bool IsAlive(string peer)
    {
        lock (_gate)
        {
            return _peers.TryGetValue(peer, out var record) && record.Liveness is PeerLiveness.Alive or PeerLiveness.Suspect;
        }
    }

    /// <summary>Starts the heartbeat loop. Never called from a constructor.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        _stopping = new CancellationTokenSource();
        Volatile.Write(ref _lastTick, _time.GetTimestamp());
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Stops the loop and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stopping.Dispose();
        _stopping = null;
        _loop = null;
    }

    /// <summary>Changes this node's status and tells every live peer at once (waiting, bounded by the peer timeout, for their answers).</summary>
    public async Task SetStatusAsync(PeerStatus status, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_status == status)
            {
                return;
            }

            _status = status;
        }

        ReplicationLog.StatusChanged(_logger, _self.NodeId, status);
        PublishView();
        await Task.WhenAll(AlivePeers.Select(p => PingAsync(p, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Answers a heartbeat: records what the sender says about itself and says what this node is.</summary>
    public PeerReply HandlePing(PeerFrame request)
    {
        var reader = new PeerReader(request.Body.Span);
        var status = ReadStatus(ref reader);
        reader.End();
        Observe(request.Sender, request.SenderIncarnation, status);
        return new PeerReply(PeerMessageType.Pong, StatusBody(Status));
    }

    /// <summary>Answers an indirect probe: pings the target on the sender's behalf.</summary>
    public async ValueTask<PeerReply> HandleProbeAsync(PeerFrame request, CancellationToken cancellationToken)
    {
        var reader = new PeerReader(request.Body.Span);
        var target = reader.String(NodeIds.MaxLength, "probe target");
        reader.End();
        var writer = new PeerWriter(16);
        if (!_peers.ContainsKey(target))
        {
            writer.Bool(false);
            writer.UInt64(0);
            writer.Byte((byte)PeerStatus.Joining);
            return new PeerReply(PeerMessageType.ProbeResult, writer.WrittenMemory);
        }

        try
        {
            var answer = await _client.SendAsync(target, PeerMessageType.Ping, StatusBody(Status), cancellationToken, _options.PeerTimeout / 2).ConfigureAwait(false);
            var answerReader = new PeerReader(answer.Body.Span);
            var status = ReadStatus(ref answerReader);
            Observe(target, answer.SenderIncarnation, status);
            writer.Bool(true);
            writer.UInt64(answer.SenderIncarnation);
            writer.Byte((byte)status);
        }
        catch (Exception ex) when (ex is PeerUnreachableException or PeerProtocolException)
        {
            writer.Bool(false);
            writer.UInt64(0);
            writer.Byte((byte)PeerStatus.Joining);
        }

        return new PeerReply(PeerMessageType.ProbeResult, writer.WrittenMemory);
    }

    /// <summary>
    /// Tells the detector a call to <paramref name="peer"/> failed. A refused connection makes it suspect at once and
    /// starts the probes, which declare it dead as soon as they also fail (or when there is nobody to ask).
    /// </summary>
    public void ReportUnreachable(string peer, bool refused)
    {
        if (!refused)
        {
            return;
        }

        bool probe;
        lock (_gate)
        {
            if (!_peers.TryGetValue(peer, out var record) || record.Liveness is PeerLiveness.Dead or PeerLiveness.Unknown || record.Probing)
            {
                return;
            }

            record.Liveness = PeerLiveness.Suspect;
            record.Probing = true;
            probe = true;
        }

        if (probe)
        {
            _ = ProbeAsync(peer, declareDeadIfNobodyReaches: true, _stopping?.Token ?? CancellationToken.None);
        }
    }

    private static ReadOnlyMemory<byte> StatusBody(PeerStatus status) => new[] { (byte)status };

    private static PeerStatus ReadStatus(ref PeerReader reader)
    {
        var status = (PeerStatus)reader.Byte();
        if (!Enum.IsDefined(status))
        {
            throw new PeerProtocolException($"Unknown peer status {(byte)status}.");
        }

        return status;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                Tick(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ReplicationLog.HeartbeatFailed(_logger, ex);
            }
        }
    }

    private void Tick(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var gap = _time.GetElapsedTime(Volatile.Read(ref _lastTick), now);
        // Others need DeadAfter of silence to declare this node dead, and they last heard it at the previous tick: a
        // shorter delay cannot have cost it its place, so a busy machine's late timer is not taken for a pause.
        var paused = gap > PauseThreshold;
        var changed = false;
        var probes = new List<string>();
        lock (_gate)
        {
            if (paused)
            {
                // Nobody was silent: this process was. Give every peer a fresh chance before judging it.
                foreach (var record in _peers.Values.Where(p => p.Liveness is PeerLiveness.Alive or PeerLiveness.Suspect))
                {
                    record.LastHeard = now;
                    record.Liveness = PeerLiveness.Alive;
                }
            }

            foreach (var record in _peers.Values)
            {
                if (record.Liveness is PeerLiveness.Unknown or PeerLiveness.Dead)
                {
                    continue;
                }

                var silence = _time.GetElapsedTime(record.LastHeard, now);
                if (silence > _options.DeadAfter)
                {
                    record.Liveness = PeerLiveness.Dead;
                    record.Probing = false;
                    changed = true;
                    ReplicationLog.PeerDead(_logger, record.NodeId, silence.TotalMilliseconds);
                }
                else if (silence > _options.SuspectAfter && !record.Probing)
                {
                    record.Liveness = PeerLiveness.Suspect;
                    record.Probing = true;
                    probes.Add(record.NodeId);
                }
            }
        }

        Volatile.Write(ref _lastTick, now);
        if (paused)
        {
            ReplicationLog.SelfPaused(_logger, gap.TotalMilliseconds);
            SelfPaused?.Invoke();
        }

        if (changed)
        {
            PublishView();
        }

        foreach (var peer in probes)
        {
            _ = ProbeAsync(peer, declareDeadIfNobodyReaches: false, cancellationToken);
        }

        foreach (var peer in _peers.Keys)
        {
            lock (_gate)
            {
                if (!_pinging.Add(peer))
                {
                    continue;
                }
            }

            _ = PingAsync(peer, cancellationToken);
        }
    }

    private async Task PingAsync(string peer, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _client.SendAsync(peer, PeerMessageType.Ping, StatusBody(Status), cancellationToken).ConfigureAwait(false);
            var reader = new PeerReader(answer.Body.Span);
            var status = ReadStatus(ref reader);
            reader.End();
            Observe(peer, answer.SenderIncarnation, status);
        }
        catch (PeerUnreachableException ex)
        {
            ReportUnreachable(peer, ex.Refused);
        }
        catch (PeerProtocolException ex)
        {
            ReplicationLog.PeerFrameRefused(_logger, $"pong from {peer}: {ex.Message}", null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            lock (_gate)
            {
                _pinging.Remove(peer);
            }
        }
    }

    private async Task ProbeAsync(string target, bool declareDeadIfNobodyReaches, CancellationToken cancellationToken)
    {
        var reached = false;
        try
        {
            var helpers = AlivePeers.Where(p => p != target).Take(2).ToList();
            var answers = await Task.WhenAll(helpers.Select(async helper =>
            {
                try
                {
                    var writer = new PeerWriter(32);
                    writer.String(target);
                    var answer = await _client.SendAsync(helper, PeerMessageType.ProbeRequest, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    var reader = new PeerReader(answer.Body.Span);
                    var ok = reader.Bool();
                    var incarnation = reader.UInt64();
                    var status = ReadStatus(ref reader);
                    return (ok, incarnation, status);
                }
                catch (Exception ex) when (ex is PeerUnreachableException or PeerProtocolException)
                {
                    return (false, 0UL, PeerStatus.Joining);
                }
            })).ConfigureAwait(false);
            foreach (var (ok, incarnation, status) in answers)
            {
                if (ok)
                {
                    reached = true;
                    ReplicationLog.IndirectProbeReached(_logger, target);
                    Observe(target, incarnation, status);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            var declared = false;
            lock (_gate)
            {
                if (_peers.TryGetValue(target, out var record))
                {
                    record.Probing = false;
                    if (!reached && declareDeadIfNobodyReaches && record.Liveness == PeerLiveness.Suspect)
                    {
                        record.Liveness = PeerLiveness.Dead;
                        declared = true;
                    }
                }
            }

            if (declared)
            {
                ReplicationLog.PeerRefusedDead(_logger, target);
                PublishView();
            }
        }
    }

    /// <summary>A sign of life without a status (any authenticated frame).</summary>
    private void Heard(string peer, ulong incarnation) => Observe(peer, incarnation, status: null);

    /// <summary>Records a sign of life of <paramref name="peer"/>, with its status when the frame carried it.</summary>
    internal void Observe(string peer, ulong incarnation, PeerStatus? status)
    {
        var changed = false;
        var returned = false;
        lock (_gate)
        {
            if (!_peers.TryGetValue(peer, out var record) || incarnation == 0)
            {
                return;
            }

            record.LastHeard = _time.GetTimestamp();
            if (record.Incarnation != incarnation)
            {
                if (record.Incarnation != 0)
                {
                    ReplicationLog.PeerRestarted(_logger, peer);
                }

                // A new process: whatever the old one held is gone; it says Joining until it is told otherwise.
                record.Incarnation = incarnation;
                record.Status = status ?? PeerStatus.Joining;
                record.Liveness = PeerLiveness.Alive;
                changed = true;
            }
            else
            {
                if (record.Liveness == PeerLiveness.Dead)
                {
                    returned = true;
                    changed = true;
                    ReplicationLog.PeerReturned(_logger, peer);
                }
                else if (record.Liveness == PeerLiveness.Unknown)
                {
                    changed = true;
                }

                record.Liveness = PeerLiveness.Alive;
                if (status is { } reported && reported != record.Status)
                {
                    record.Status = reported;
                    changed = true;
                }
            }
        }

        if (changed)
        {
            PublishView();
        }

        if (returned)
        {
            PeerReturned?.Invoke(peer);
        }
    }

    private void PublishView()
    {
        ClusterView view;
        lock (_gate)
        {
            var ready = _peers.Values
                .Where(p => p.Liveness is PeerLiveness.Alive or PeerLiveness.Suspect && p.Status == PeerStatus.Ready)
                .Select(p => p.NodeId)
                .ToList();
            if (_status == PeerStatus.Ready)
            {
                ready.Add(_self.NodeId);
            }

            ready.Sort(StringComparer.Ordinal);
            var joining = _peers.Values
                .Where(p => p.Liveness is PeerLiveness.Alive or PeerLiveness.Suspect && p.Status == PeerStatus.Joining)
                .Select(p => p.NodeId)
                .Order(StringComparer.Ordinal)
                .ToList();
            var current = _view;
            if (current.Ready.SequenceEqual(ready) && current.Joining.SequenceEqual(joining))
            {
                return;
            }

            view = new ClusterView(current.Version + 1, ready, joining);
            Volatile.Write(ref _view, view);
        }

        ReplicationLog.ViewChanged(_logger, view.Version, view.Ready, view.Joining);
        ViewChanged?.Invoke(view);
    }
}
