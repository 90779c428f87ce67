namespace Stickless.Replication;

public sealed partial class ReplicatedSessionStore
{
    /// <summary>
    /// Every <see cref="ReplicatedSessionStoreOptions.SweepInterval"/>: the owner turns its expired sessions into
    /// tombstones (copied like any write), every node forgets tombstones past their retention, and replicas drop
    /// copies that expired well ago (the owner's tombstone normally arrives first).
    /// </summary>
    private async Task SweepLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SweepInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ReplicationLog.SweepFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (_membership.Status != Membership.PeerStatus.Ready)
        {
            return;
        }

        var view = _membership.View;
        var slack = 2 * _options.DeadAfter + TimeSpan.FromMinutes(1);
        await RepairCopiesAsync(view, cancellationToken).ConfigureAwait(false);
        foreach (var entry in _table.Entries)
        {
            if (entry.HandedOverAt != 0)
            {
                await DropHandedOverAsync(entry, view, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var now = _clock.GetUtcNow();
            var state = entry.State;
            var due = state switch
            {
                null => false,
                { Session: { } session } => session.IsExpiredAt(now),
                _ => now >= state.RetainUntil,
            };
            if (!due || !await entry.Gate.WaitAsync(_options.PeerTimeout, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                state = entry.State;
                if (entry.Removed || state is null)
                {
                    continue;
                }

                if (state.Session is { } session)
                {
                    if (IsOwner(entry.Id, view) && session.IsExpiredAt(now))
                    {
                        await TombstoneAsync(entry, state, now, null, default, failOnCopyError: false, cancellationToken).ConfigureAwait(false);
                    }
                    else if (now >= session.ExpiresAt + slack)
                    {
                        _table.Publish(entry, null);
                    }
                }
                else if (now >= state.RetainUntil)
                {
                    _table.Publish(entry, null);
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }
    }

    private async Task DropHandedOverAsync(Replicas.ReplicaEntry entry, Membership.ClusterView view, CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(entry.HandedOverAt) < 2 * _options.DeadAfter || !await entry.Gate.WaitAsync(_options.PeerTimeout, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (entry.Removed)
            {
                return;
            }

            if (_topology.Holds(entry.Id, view, _self.NodeId))
            {
                entry.HandedOverAt = 0;
            }
            else if (entry.State is not null)
            {
                _table.Publish(entry, null);
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Sends the whole state of every session this node owns to each target that did not acknowledge its latest copy.</summary>
    private async Task RepairCopiesAsync(Membership.ClusterView view, CancellationToken cancellationToken)
    {
        var missing = new Dictionary<string, List<(Replicas.ReplicaEntry Entry, Replicas.ReplicaState State)>>(StringComparer.Ordinal);
        foreach (var entry in _table.Entries)
        {
            if (entry.State is not { } state || !IsOwner(entry.Id, view))
            {
                continue;
            }

            foreach (var target in _topology.CopyTargets(entry.Id, view, _self.NodeId).Where(t => !entry.CopiesAt.Contains(t)))
            {
                if (!missing.TryGetValue(target, out var list))
                {
                    missing[target] = list = [];
                }

                list.Add((entry, state));
            }
        }

        foreach (var (target, items) in missing)
        {
            foreach (var batch in items.Chunk(BatchSize))
            {
                var outcomes = await SendCopiesAsync(target, [.. batch.Select(i => Replicas.ReplicaCopy.Full(i.Entry.Id, i.State))], Transport.PeerMessageType.Rebalance, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (outcomes[i] == CopyOutcome.Applied && ReferenceEquals(batch[i].Entry.State, batch[i].State) && !batch[i].Entry.CopiesAt.Contains(target))
                    {
                        batch[i].Entry.CopiesAt = [.. batch[i].Entry.CopiesAt, target];
                    }
                }
            }
        }
    }
}
