using System.Collections.Concurrent;
using System.Threading.Channels;
using Stickless.Replication.Replicas;
using Stickless.Replication.Transport;

namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <summary>What a replica answered for one copy.</summary>
    private enum CopyOutcome : byte
    {
        Applied = 1,
        NeedsWholeState = 2,
        Deleted = 3,
        Deposed = 4,
        Busy = 5,
    }

    private readonly ConcurrentDictionary<string, Channel<ReplicaCopy>> _queues = new(StringComparer.Ordinal);
    private int _repairPending;

    /// <summary>
    /// Publishes <paramref name="next"/> as <paramref name="entry"/>'s state and copies it to the mode's targets: in sync
    /// mode, waiting for every target (a target that lacks the previous write gets the whole state in a second message);
    /// in async mode, on the target's queue. Call holding the entry's gate.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">
    /// Sync mode and <paramref name="failOnCopyError"/>: a target did not acknowledge, or answered that a newer epoch
    /// exists (this node is no longer the owner). The state stays published here: the outcome is unknown to the caller.
    /// </exception>
    private async ValueTask WriteAsync(ReplicaEntry entry, ReplicaState? previous, ReplicaState next, bool failOnCopyError, CancellationToken cancellationToken)
    {
        _table.Publish(entry, next);
        _metrics.Write();
        var targets = _topology.CopyTargets(entry.Id, _membership.View, _self.NodeId);
        var holders = entry.CopiesAt;
        if (targets.Count == 0)
        {
            entry.CopiesAt = [];
            return;
        }

        var delta = ReplicaCopy.Between(entry.Id, previous, next);
        var whole = delta.IsDelta ? ReplicaCopy.Full(entry.Id, next) : delta;
        if (_options.Ack == ReplicationAcknowledgement.Async)
        {
            foreach (var target in targets)
            {
                Enqueue(target, holders.Contains(target) ? delta : whole);
            }

            entry.CopiesAt = [.. targets];
            return;
        }

        var outcomes = await Task.WhenAll(targets.Select(target => CopyAsync(target, holders.Contains(target) ? delta : whole, whole, cancellationToken))).ConfigureAwait(false);
        var acked = new List<string>(targets.Count);
        string? failure = null;
        var deleted = false;
        for (var i = 0; i < targets.Count; i++)
        {
            switch (outcomes[i])
            {
                case CopyOutcome.Applied:
                    acked.Add(targets[i]);
                    break;
                case CopyOutcome.Deleted:
                    deleted = true;
                    break;
                case CopyOutcome.Deposed:
                    failure = $"{targets[i]} holds a newer epoch: this node is no longer the owner";
                    break;
                default:
                    failure ??= $"{targets[i]} did not acknowledge the copy";
                    break;
            }
        }

        entry.CopiesAt = [.. acked];
        if (deleted && next.Session is not null)
        {
            // A replica holds a tombstone: the session was deleted on another side of a partition. The delete wins.
            _metrics.DeleteWon();
            var tombstone = next.ToTombstone(NextVersion(next), _clock.GetUtcNow(), _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
            await WriteAsync(entry, next, tombstone, failOnCopyError: false, cancellationToken).ConfigureAwait(false);
            throw new SessionStoreUnavailableException("The session was deleted on another node while this one could not see it; the delete won.");
        }

        if (failure is not null)
        {
            _metrics.CopyFailed();
            ReplicationLog.CopyFailed(_logger, failure);
            ScheduleRepair();
            if (failOnCopyError)
            {
                throw new SessionStoreUnavailableException($"The write was applied on {_self.NodeId} but not copied: {failure}.");
            }
        }
    }

    /// <summary>Sends one copy (then the whole state if the target lacks the previous write); never throws for the target's failures.</summary>
    private async Task<CopyOutcome> CopyAsync(string target, ReplicaCopy copy, ReplicaCopy whole, CancellationToken cancellationToken, PeerMessageType type = PeerMessageType.Replicate)
    {
        var outcome = await SendCopiesAsync(target, [copy], type, cancellationToken).ConfigureAwait(false);
        if (outcome[0] == CopyOutcome.NeedsWholeState && copy.IsDelta)
        {
            outcome = await SendCopiesAsync(target, [whole], type, cancellationToken).ConfigureAwait(false);
        }

        return outcome[0];
    }

    private async Task<CopyOutcome[]> SendCopiesAsync(string target, List<ReplicaCopy> copies, PeerMessageType type, CancellationToken cancellationToken)
    {
        var writer = new PeerWriter();
        writer.Int32(copies.Count);
        foreach (var copy in copies)
        {
            copy.Write(writer);
        }

        var failed = Enumerable.Repeat(CopyOutcome.Busy, copies.Count).ToArray();
        try
        {
            var answer = await _client.SendAsync(target, type, writer.WrittenMemory, cancellationToken, type == PeerMessageType.Replicate ? CopyTimeout : null).ConfigureAwait(false);
            if (answer.Type != PeerMessageType.ReplicateResult)
            {
                return failed;
            }

            var reader = new PeerReader(answer.Body.Span);
            var count = reader.Count(copies.Count, "copy result count");
            if (count != copies.Count)
            {
                return failed;
            }

            var outcomes = new CopyOutcome[count];
            for (var i = 0; i < count; i++)
            {
                outcomes[i] = (CopyOutcome)reader.Byte();
            }

            reader.End();
            return outcomes;
        }
        catch (PeerUnreachableException ex)
        {
            _membership.ReportUnreachable(target, ex.Refused);
            return failed;
        }
        catch (PeerProtocolException ex)
        {
            ReplicationLog.CopyFailed(_logger, $"{target} answered a malformed frame: {ex.Message}");
            return failed;
        }
    }

    /// <summary>Applies the copies an owner sent (a write, a re-replication, a transfer).</summary>
    private async ValueTask<PeerReply> HandleReplicateAsync(PeerFrame request, CancellationToken cancellationToken)
    {
        var reader = new PeerReader(request.Body.Span);
        var count = reader.Count(ReplicaWire.MaxCount, "copy count");
        var copies = new List<ReplicaCopy>(count);
        for (var i = 0; i < count; i++)
        {
            copies.Add(ReplicaCopy.Read(ref reader, _maxValueBytes));
        }

        reader.End();
        var writer = new PeerWriter(4 + count);
        writer.Int32(count);
        foreach (var copy in copies)
        {
            writer.Byte((byte)await ApplyCopyAsync(copy, cancellationToken).ConfigureAwait(false));
        }

        return new PeerReply(PeerMessageType.ReplicateResult, writer.WrittenMemory);
    }

    private async ValueTask<CopyOutcome> ApplyCopyAsync(ReplicaCopy copy, CancellationToken cancellationToken)
    {
        var (entry, _) = await _table.LockAsync(copy.Id, create: true, _options.PeerTimeout / 2, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            // This node orders a write of the same session (views disagree): do not wait for each other.
            return CopyOutcome.Busy;
        }

        try
        {
            var current = entry.State;
            if (current is not null)
            {
                if (current.IsTombstone && !copy.State.IsTombstone)
                {
                    return CopyOutcome.Deleted;
                }

                if (copy.State.Version <= current.Version && !(current.IsTakeOverOnly && !copy.IsDelta && copy.State.Descends(current) && !current.Descends(copy.State)))
                {
                    // A repeat, or an older write: harmless unless it comes from an older epoch (a deposed owner).
                    return copy.State.Version.Epoch < current.Version.Epoch && !copy.State.IsTombstone ? CopyOutcome.Deposed : CopyOutcome.Applied;
                }
            }

            var next = copy.ApplyTo(current);
            if (next is null)
            {
                return CopyOutcome.NeedsWholeState;
            }

            if (!copy.IsDelta && current?.Session is not null && next.Session is not null && !next.Descends(current) && !current.Descends(next))
            {
                // Two histories written apart (a partition, or an async copy the new owner never got): this copy's wins.
                _metrics.Conflict();
            }

            _table.Publish(entry, next);
            return CopyOutcome.Applied;
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

    private void Enqueue(string target, ReplicaCopy copy)
    {
        var queue = _queues.GetOrAdd(target, peer =>
        {
            var channel = Channel.CreateBounded<ReplicaCopy>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            _loops.Add(Task.Run(() => DrainAsync(peer, channel.Reader, _stopping.Token)));
            return channel;
        });
        queue.Writer.TryWrite(copy);
    }

    /// <summary>The async mode's sender for one peer: copies leave in the order they were written, in batches.</summary>
    private async Task DrainAsync(string target, ChannelReader<ReplicaCopy> reader, CancellationToken cancellationToken)
    {
        var batch = new List<ReplicaCopy>(64);
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 64 && reader.TryRead(out var copy))
                {
                    batch.Add(copy);
                }

                var outcomes = await SendCopiesAsync(target, batch, PeerMessageType.Replicate, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i] == CopyOutcome.Applied)
                    {
                        continue;
                    }

                    // The replica missed a write (or the call failed): the next write of that session goes whole.
                    _metrics.CopyFailed();
                    if (_table.Find(batch[i].Id) is { } entry)
                    {
                        entry.CopiesAt = [.. entry.CopiesAt.Where(p => p != target)];
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is lost, as async replication says.
        }
    }

    /// <summary>After a copy failed: a moment later, send the whole state to every target that missed a copy (a rebalance pass).</summary>
    private void ScheduleRepair()
    {
        if (Interlocked.Exchange(ref _repairPending, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(_options.HeartbeatInterval * 2, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Volatile.Write(ref _repairPending, 0);
            }

            ScheduleRebalance();
        });
    }
}
