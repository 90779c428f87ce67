using Stickless.Replication.Membership;
using Stickless.Replication.Placement;
using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    private const int BatchSize = 64;
    private readonly SemaphoreSlim _rejoin = new(0, 1);

    /// <summary>
    /// Coalesces view changes into one rebalance pass at a time: the owner of each session begins a new epoch if the
    /// session came to it from another node, and sends the whole state to every target that does not hold it yet; in
    /// PrimaryBackup a node that no longer holds a session hands it to the owner and drops it.
    /// </summary>
    private void ScheduleRebalance()
    {
        if (Interlocked.Exchange(ref _rebalancePending, 1) == 1 || Volatile.Read(ref _started) != 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await _rebalanceGate.WaitAsync(_stopping.Token).ConfigureAwait(false);
            try
            {
                Volatile.Write(ref _rebalancePending, 0);
                await RebalanceAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception ex)
            {
                ReplicationLog.RebalanceFailed(_logger, ex);
            }
            finally
            {
                _rebalanceGate.Release();
            }
        });
    }

    private async Task RebalanceAsync(CancellationToken cancellationToken)
    {
        if (_membership.Status != PeerStatus.Ready)
        {
            return;
        }

        var view = _membership.View;

        // Sessions that come to this node from an owner that is still alive (a join, a heal, views flapping): that owner
        // may hold writes this copy lacks, so take its states first; a new epoch begun on a stale copy would outrank them.
        var previousOwners = _table.Entries
            .Select(e => (Entry: e, State: e.State))
            .Where(p => p.State is not null && p.State.Version.EpochOwner != _self.NodeId && RendezvousPlacement.Owner(p.Entry.Id, view.Ready) == _self.NodeId)
            .Select(p => p.State!.Version.EpochOwner)
            .Where(_membership.IsAlive)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var peer in previousOwners)
        {
            try
            {
                await PullAsync(peer, TransferPurpose.Heal, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PeerUnreachableException or PeerProtocolException)
            {
                ReplicationLog.TransferFailed(_logger, peer, ex);
            }
        }

        var outgoing = new Dictionary<string, List<(ReplicaEntry Entry, ReplicaState State)>>(StringComparer.Ordinal);
        var handOver = new List<(ReplicaEntry Entry, ReplicaState State, string Owner)>();
        var promoted = 0;
        foreach (var entry in _table.Entries)
        {
            if (entry.State is not { } state)
            {
                continue;
            }

            var owner = RendezvousPlacement.Owner(entry.Id, view.Ready);
            if (owner == _self.NodeId)
            {
                if (state.Version.EpochOwner != _self.NodeId)
                {
                    // The session came to this node: a new epoch fences off writes of the old owner, should it return.
                    if (!await entry.Gate.WaitAsync(_options.PeerTimeout, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    try
                    {
                        state = entry.State;
                        if (entry.Removed || state is null || state.Version.EpochOwner == _self.NodeId)
                        {
                            continue;
                        }

                        state = new ReplicaState
                        {
                            Session = state.Session,
                            Version = new ReplicaVersion(state.Version.Epoch + 1, _self.NodeId, 0),
                            ForkedFrom = state.Version,
                            DeletedAt = state.DeletedAt,
                            RetainUntil = state.RetainUntil,
                            RotatedTo = state.RotatedTo,
                            GraceUntil = state.GraceUntil,
                        };
                        _table.Publish(entry, state);
                        entry.CopiesAt = [];
                        promoted++;
                    }
                    finally
                    {
                        entry.Gate.Release();
                    }
                }

                foreach (var target in _topology.CopyTargets(entry.Id, view, _self.NodeId))
                {
                    if (!entry.CopiesAt.Contains(target))
                    {
                        Add(outgoing, target, entry, state);
                    }
                }
            }
            else if (!_topology.ReadsLocally && owner is not null && !_topology.Holds(entry.Id, view, _self.NodeId))
            {
                handOver.Add((entry, state, owner));
                foreach (var target in _topology.CopyTargets(entry.Id, view, _self.NodeId))
                {
                    Add(outgoing, target, entry, state);
                }
            }
        }

        var acked = new HashSet<(string, ReplicaEntry)>();
        foreach (var (target, items) in outgoing)
        {
            for (var start = 0; start < items.Count; start += BatchSize)
            {
                var batch = items.Skip(start).Take(BatchSize).ToList();
                var outcomes = await SendCopiesAsync(target, [.. batch.Select(i => ReplicaCopy.Full(i.Entry.Id, i.State))], PeerMessageType.Rebalance, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i] != CopyOutcome.Applied)
                    {
                        continue;
                    }

                    acked.Add((target, batch[i].Entry));
                    if (ReferenceEquals(batch[i].Entry.State, batch[i].State) && !batch[i].Entry.CopiesAt.Contains(target))
                    {
                        batch[i].Entry.CopiesAt = [.. batch[i].Entry.CopiesAt, target];
                    }
                }
            }
        }

        // A handed-over copy is dropped later, by the sweep, if this node still does not hold the session then: views
        // that flap back (a node declared dead, then heard again) must find the copy still here.
        var dropped = 0;
        var now = _time.GetTimestamp();
        foreach (var (entry, _, owner) in handOver)
        {
            if (acked.Contains((owner, entry)) && entry.HandedOverAt == 0)
            {
                entry.HandedOverAt = now;
                dropped++;
            }
        }

        var sent = outgoing.Values.Sum(v => v.Count);
        if (promoted + sent + dropped > 0)
        {
            ReplicationLog.Rebalanced(_logger, view.Version, promoted, sent, dropped);
        }

        static void Add(Dictionary<string, List<(ReplicaEntry, ReplicaState)>> outgoing, string target, ReplicaEntry entry, ReplicaState state)
        {
            if (!outgoing.TryGetValue(target, out var list))
            {
                outgoing[target] = list = [];
            }

            list.Add((entry, state));
        }
    }

    /// <summary>Goes back to Joining and fetches state again, as after a pause (tests).</summary>
    internal void Rejoin() => OnSelfPaused();

    private void OnSelfPaused()
    {
        // The others may have declared this node dead and moved on: stop serving and fetch their state again.
        _ = Task.Run(async () =>
        {
            try
            {
                await _membership.SetStatusAsync(PeerStatus.Joining, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _rejoin.Release();
        });
    }

    private void OnPeerReturned(string peer)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var merged = await PullAsync(peer, TransferPurpose.Heal, _stopping.Token).ConfigureAwait(false);
                ReplicationLog.Healed(_logger, peer, merged);
                ScheduleRebalance();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception ex)
            {
                ReplicationLog.TransferFailed(_logger, peer, ex);
            }
        });
    }

    /// <summary>Joins at start, and again after a pause: waits to hear the cluster, pulls state from every Ready node, then says Ready.</summary>
    private async Task JoinLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await JoinAsync(cancellationToken).ConfigureAwait(false);
                await _rejoin.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (!_membership.HasHeardFromEveryPeer && _time.GetElapsedTime(started) < _options.DeadAfter)
        {
            await Task.Delay(_options.HeartbeatInterval / 2, _time, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            var ready = _membership.View.Ready.Where(n => n != _self.NodeId).ToList();
            if (ready.Count == 0)
            {
                // Nobody holds anything: a cluster starting (every peer heard, all joining), or every other node down
                // for longer than the transfer timeout. Then this node starts the cluster, empty.
                if ((_membership.HasHeardFromEveryPeer && _membership.IsClusterStarting) || _time.GetElapsedTime(started) > _options.TransferTimeout)
                {
                    break;
                }

                await Task.Delay(_options.HeartbeatInterval, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var received = 0;
            var complete = true;
            foreach (var peer in ready)
            {
                try
                {
                    received += await PullAsync(peer, TransferPurpose.Join, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    ReplicationLog.TransferFailed(_logger, peer, ex);
                    complete = false;
                }
            }

            var now = _membership.View.Ready.Where(n => n != _self.NodeId).ToList();
            if (complete && now.SequenceEqual(ready))
            {
                var took = _time.GetElapsedTime(started).TotalSeconds;
                ReplicationLog.Joined(_logger, received, ready.Count, took);
                break;
            }

            if (_time.GetElapsedTime(started) > _options.TransferTimeout)
            {
                ReplicationLog.TransferTimedOut(_logger, _options.TransferTimeout.TotalSeconds);
                started = _time.GetTimestamp();
            }

            await Task.Delay(_options.HeartbeatInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        await _membership.SetStatusAsync(PeerStatus.Ready, cancellationToken).ConfigureAwait(false);
        ScheduleRebalance();
    }

    /// <summary>Pulls, page by page, the states <paramref name="peer"/> holds that this node should hold, and merges them.</summary>
    /// <returns>How many states changed here.</returns>
    private async Task<int> PullAsync(string peer, TransferPurpose purpose, CancellationToken cancellationToken)
    {
        var cursor = string.Empty;
        var changed = 0;
        while (true)
        {
            var writer = new PeerWriter();
            writer.Byte((byte)purpose);
            writer.String(cursor);
            var answer = await _client.SendAsync(peer, PeerMessageType.TransferRequest, writer.WrittenMemory, cancellationToken, _options.TransferTimeout).ConfigureAwait(false);
            if (answer.Type != PeerMessageType.TransferChunk)
            {
                throw new PeerProtocolException($"{peer} refused the transfer.");
            }

            var reader = new PeerReader(answer.Body.Span);
            var count = reader.Count(ReplicaWire.MaxCount, "transfer count");
            var copies = new List<ReplicaCopy>(count);
            for (var i = 0; i < count; i++)
            {
                copies.Add(ReplicaCopy.Read(ref reader, _maxValueBytes));
            }

            var next = reader.NullableString(ReplicaWire.MaxIdBytes, "cursor");
            reader.End();
            foreach (var copy in copies)
            {
                if (copy.IsDelta)
                {
                    throw new PeerProtocolException("A transfer carries whole states only.");
                }

                if (await MergeAsync(copy, cancellationToken).ConfigureAwait(false))
                {
                    changed++;
                }
            }

            if (next is null)
            {
                return changed;
            }

            if (string.CompareOrdinal(next, cursor) <= 0)
            {
                throw new PeerProtocolException($"{peer}'s transfer cursor does not move forward.");
            }

            cursor = next;
        }
    }

    /// <summary>
    /// Merges another node's state of a session into this node's: a tombstone on either side wins; a state that
    /// descends from the other wins; two histories written apart (a partition) keep the later one and count a conflict.
    /// </summary>
    private async Task<bool> MergeAsync(ReplicaCopy copy, CancellationToken cancellationToken)
    {
        var (locked, _) = await _table.LockAsync(copy.Id, create: true, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        var entry = locked!;
        try
        {
            var local = entry.State;
            var incoming = copy.State;
            // Counted by every node whose merge decides it (so one session reconciled on two nodes counts twice):
            // which node sees the divergence first depends on the order of the pulls and copies after a heal.
            const bool counts = true;
            ReplicaState? winner;
            if (local is null)
            {
                winner = incoming;
            }
            else if (local.IsTombstone || incoming.IsTombstone)
            {
                if (local.IsTombstone && incoming.IsTombstone)
                {
                    winner = incoming.Version > local.Version ? incoming : null;
                }
                else
                {
                    if (counts)
                    {
                        _metrics.DeleteWon();
                    }

                    winner = incoming.IsTombstone ? incoming : null;
                }
            }
            else if (local.Descends(incoming))
            {
                winner = null;
            }
            else if (incoming.Descends(local))
            {
                winner = incoming;
            }
            else
            {
                if (counts)
                {
                    _metrics.Conflict();
                }

                winner = incoming.Version > local.Version ? incoming : null;
            }

            if (winner is null)
            {
                return false;
            }

            _table.Publish(entry, winner);
            entry.CopiesAt = [];
            return true;
        }
        finally
        {
            if (entry.State is null)
            {
                _table.Publish(entry, null);
            }

            entry.Gate.Release();
        }
    }

    private ValueTask<PeerReply> HandleTransferAsync(PeerFrame request)
    {
        var reader = new PeerReader(request.Body.Span);
        var purpose = (TransferPurpose)reader.Byte();
        var cursor = reader.String(ReplicaWire.MaxIdBytes, "cursor");
        reader.End();
        if (!Enum.IsDefined(purpose))
        {
            throw new PeerProtocolException($"Unknown transfer purpose {(byte)purpose}.");
        }

        var view = _membership.View;
        var requester = request.Sender;
        var copies = new List<ReplicaCopy>();
        var writer = new PeerWriter();
        string? next = null;
        long bytes = 0;
        foreach (var id in _table.SortedIds())
        {
            if (string.CompareOrdinal(id, cursor) <= 0 || _table.Find(id)?.State is not { } state)
            {
                continue;
            }

            if (!_topology.Holds(id, view, requester))
            {
                continue;
            }

            if (purpose == TransferPurpose.Join && _topology.ReadsLocally && !IsOwner(id, view))
            {
                continue;
            }

            if (copies.Count >= 500 || bytes > _options.MaxMessageBytes / 2)
            {
                next = copies[^1].Id;
                break;
            }

            copies.Add(ReplicaCopy.Full(id, state));
            bytes += (state.Session is { } s ? SessionSize.Of(s) : 64);
        }

        writer.Int32(copies.Count);
        foreach (var copy in copies)
        {
            copy.Write(writer);
        }

        writer.NullableString(next);
        return ValueTask.FromResult(new PeerReply(PeerMessageType.TransferChunk, writer.WrittenMemory));
    }

    /// <summary>Why a node asks another for state.</summary>
    private enum TransferPurpose : byte
    {
        /// <summary>It is joining (start, restart, after a pause).</summary>
        Join = 1,

        /// <summary>A partition healed: reconcile.</summary>
        Heal = 2,
    }
}
