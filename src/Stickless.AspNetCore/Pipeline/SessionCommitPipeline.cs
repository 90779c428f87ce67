using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stickless.AspNetCore;

/// <summary>
/// The commits of each session made on this node go through one lane per session: one store call at a time, in arrival
/// order, and concurrent ones grouped into one call where they can be.
/// </summary>
/// <remarks>
/// <para>
/// <b>Why.</b> Without it, concurrent requests of one session on one node race each other in the store: compare-and-set
/// updates (<c>UpdateAsync</c>) collide and retry, and every request pays its own round trip. With it:
/// </para>
/// <list type="bullet">
/// <item>change sets without compare-and-set (blind writes and removals, increments and set operations, the touch) that
/// wait together are merged into one store call: disjoint attributes side by side, increments of one counter summed
/// (each request still learns the value its own increment gave, as if they had run one after the other);</item>
/// <item>a compare-and-set update takes the lane for itself (a turn): it first adopts what this node's earlier commits
/// left in the store (<see cref="SessionLane.Latest"/>, with versions), then compares against that, so updates made
/// on one node never conflict with each other; a conflict can only come from another node's write, and is retried as
/// before;</item>
/// <item>creates, renames (sign-in), clears and principal changes go alone, in order.</item>
/// </list>
/// <para>
/// A merged call that the store refuses (an operation on an attribute of the wrong shape) is sent again change set by
/// change set, so only the faulty request fails. A store failure fails every request whose change set the call carried
/// (outcome unknown, as for one request). A request waits in the lane at most <see cref="SticklessOptions.StoreTimeout"/>;
/// then it fails like a store timeout. Off with <see cref="SticklessHttpOptions.CoalesceCommits"/> = false.
/// </para>
/// </remarks>
internal sealed partial class SessionCommitPipeline
{
    // One store call carries at most this many requests' change sets.
    private const int MaxBatch = 64;

    private readonly ConcurrentDictionary<string, SessionLane> _lanes = new(StringComparer.Ordinal);
    private readonly SessionStoreClient _store;
    private readonly SticklessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _queueTimeout;
    private readonly bool _enabled;

    public SessionCommitPipeline(SessionStoreClient store, IOptions<SticklessHttpOptions> options, TimeProvider time, SticklessMetrics metrics, ILoggerFactory loggerFactory)
        : this(store, options.Value.CoalesceCommits, options.Value.StoreTimeout, time, metrics, loggerFactory.CreateLogger("Stickless.AspNetCore.Pipeline"))
    {
    }

    internal SessionCommitPipeline(SessionStoreClient store, bool enabled, TimeSpan queueTimeout, TimeProvider time, SticklessMetrics metrics, ILogger logger)
    {
        _store = store;
        _enabled = enabled;
        _queueTimeout = queueTimeout;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Lanes alive (sessions with a request in flight on this node); for tests.</summary>
    public int LaneCount => _lanes.Count;

    /// <summary>Requests waiting in <paramref name="sessionId"/>'s lane (behind the store call under way); for tests.</summary>
    internal int WaitingIn(string sessionId)
    {
        if (!_lanes.TryGetValue(sessionId, out var lane))
        {
            return 0;
        }

        lock (lane.Gate)
        {
            return lane.Queue.Count;
        }
    }

    /// <summary>Takes a hold of <paramref name="sessionId"/>'s lane for a request (null when coalescing is off).</summary>
    public SessionLane? Acquire(string sessionId)
    {
        if (!_enabled)
        {
            return null;
        }

        while (true)
        {
            var lane = _lanes.GetOrAdd(sessionId, static id => new SessionLane(id));
            lock (lane.Gate)
            {
                if (!lane.Retired)
                {
                    lane.Holders++;
                    return lane;
                }
            }
        }
    }

    /// <summary>Lets go of a lane taken by <see cref="Acquire"/>.</summary>
    public void Release(SessionLane? lane)
    {
        if (lane is null)
        {
            return;
        }

        lock (lane.Gate)
        {
            lane.Holders--;
            RetireIfIdle(lane);
        }
    }

    /// <summary>
    /// Commits <paramref name="changes"/> through <paramref name="lane"/>: at once when the lane is free, else after the
    /// requests ahead, possibly in one store call with its neighbours. Without a lane (coalescing off, a new session) it
    /// is one store call of its own.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The store failed, or the lane did not free up within the store timeout.</exception>
    public async ValueTask<LaneCommitResult> CommitAsync(SessionLane? lane, SessionChangeSet changes, CancellationToken cancellationToken)
    {
        if (lane is null || changes.IsNew || !string.Equals(lane.SessionId, changes.SessionId, StringComparison.Ordinal))
        {
            return new LaneCommitResult(await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false));
        }

        var item = new SessionLaneItem(changes, IsMergeable(changes));
        var signal = await EnterAsync(lane, item, cancellationToken).ConfigureAwait(false);
        if (signal.Batch is not { } batch)
        {
            signal.Failure?.Throw();
            return signal.Result!.Value;
        }

        return await SendAsync(lane, batch, item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until <paramref name="lane"/> is this request's alone (a compare-and-set update builds its change set only
    /// then, on what the lane knows). Dispose the turn to let the next request go. Without a lane, a turn of its own.
    /// </summary>
    public async ValueTask<SessionLaneTurn> TakeTurnAsync(SessionLane? lane, CancellationToken cancellationToken)
    {
        if (lane is null)
        {
            return new SessionLaneTurn(this, null);
        }

        var signal = await EnterAsync(lane, new SessionLaneItem(null, mergeable: false), cancellationToken).ConfigureAwait(false);
        signal.Failure?.Throw();
        return new SessionLaneTurn(this, lane);
    }

    /// <summary>One store call within a turn: what it left in the store is recorded in the lane.</summary>
    internal async ValueTask<CommitResult> CommitInTurnAsync(SessionLane? lane, SessionChangeSet changes, CancellationToken cancellationToken)
    {
        var result = await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
        if (lane is not null && string.Equals(lane.SessionId, changes.SessionId, StringComparison.Ordinal))
        {
            Record(lane, changes, result);
        }

        return result;
    }

    /// <summary>What this node's commits left in the store, for a turn's holder to adopt.</summary>
    internal static KeyValuePair<string, SessionAttribute>[] LatestOf(SessionLane? lane)
    {
        if (lane is null)
        {
            return [];
        }

        lock (lane.Gate)
        {
            return [.. lane.Latest];
        }
    }

    /// <summary>Ends the lane's current store call or turn: the next waiter (or batch of waiters) goes.</summary>
    internal void HandOff(SessionLane lane)
    {
        List<SessionLaneItem> batch;
        lock (lane.Gate)
        {
            if (lane.Queue.Count == 0)
            {
                lane.Busy = false;
                RetireIfIdle(lane);
                return;
            }

            batch = TakeBatch(lane.Queue);
        }

        batch[0].Signal.TrySetResult(SessionLaneSignal.Lead(batch));
    }

    private async ValueTask<SessionLaneSignal> EnterAsync(SessionLane lane, SessionLaneItem item, CancellationToken cancellationToken)
    {
        lock (lane.Gate)
        {
            if (!lane.Busy)
            {
                lane.Busy = true;
                return SessionLaneSignal.Lead([item]);
            }

            lane.Queue.Add(item);
        }

        try
        {
            return await item.Signal.Task.WaitAsync(_queueTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (lane.Gate)
            {
                if (lane.Queue.Remove(item))
                {
                    if (ex is TimeoutException)
                    {
                        LogQueueTimedOut(_logger, _queueTimeout);
                        throw new SessionStoreUnavailableException($"This session's earlier commits on this node did not finish within {_queueTimeout}: the store is too slow or unreachable.", ex);
                    }

                    throw;
                }
            }

            // Already taken into a store call (or given the lane): that call is bounded by the store timeout.
            return await item.Signal.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Sends a batch led by <paramref name="own"/>, tells the others their results, hands the lane on, and returns its own.</summary>
    private async ValueTask<LaneCommitResult> SendAsync(SessionLane lane, List<SessionLaneItem> batch, SessionLaneItem own, CancellationToken cancellationToken)
    {
        LaneCommitResult[] results;
        try
        {
            results = batch.Count == 1
                ? [new LaneCommitResult(await CommitInTurnAsync(lane, own.Changes!, cancellationToken).ConfigureAwait(false))]
                : await SendMergedAsync(lane, batch).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            HandOff(lane);
            for (var i = 1; i < batch.Count; i++)
            {
                batch[i].Signal.TrySetResult(SessionLaneSignal.Failed(ex));
            }

            throw;
        }

        HandOff(lane);
        for (var i = 1; i < batch.Count; i++)
        {
            batch[i].Signal.TrySetResult(SessionLaneSignal.Done(results[i]));
        }

        return results[0];
    }

    private async ValueTask<LaneCommitResult[]> SendMergedAsync(SessionLane lane, List<SessionLaneItem> batch)
    {
        var merged = Merge(batch);

        // Not the leader's token: the call carries other requests' changes, and the leader's client going away must not
        // cancel them. The store client bounds it by the store timeout.
        var result = await CommitInTurnAsync(lane, merged, CancellationToken.None).ConfigureAwait(false);
        if (result.Status == CommitStatus.Conflict)
        {
            // The store refused an operation (an attribute of the wrong shape) and wrote nothing: one by one, so that only
            // the request that asked for it is refused.
            LogMergedCommitRefused(_logger, batch.Count);
            var each = new LaneCommitResult[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                each[i] = new LaneCommitResult(await CommitInTurnAsync(lane, batch[i].Changes!, CancellationToken.None).ConfigureAwait(false));
            }

            return each;
        }

        _metrics.Coalesced(_store.StoreName, batch.Count - 1);
        LogCoalesced(_logger, batch.Count);
        return Split(batch, result);
    }

    // Must hold lane.Gate.
    private void RetireIfIdle(SessionLane lane)
    {
        if (lane.Holders <= 0 && !lane.Busy && lane.Queue.Count == 0 && !lane.Retired)
        {
            lane.Retired = true;
            _lanes.TryRemove(new KeyValuePair<string, SessionLane>(lane.SessionId, lane));
        }
    }

    /// <summary>Keeps what a commit tells about the store's attributes (committed values, conflicting ones) for later turns.</summary>
    private static void Record(SessionLane lane, SessionChangeSet changes, CommitResult result)
    {
        lock (lane.Gate)
        {
            var latest = lane.Latest;
            switch (result.Status)
            {
                case CommitStatus.Committed:
                    if (changes.ClearAttributes || changes.NewSessionId is not null)
                    {
                        latest.Clear();
                    }

                    foreach (var (name, change) in changes.Attributes)
                    {
                        if (change.Kind == AttributeChangeKind.Set && result.NewVersions.TryGetValue(name, out var version))
                        {
                            Keep(latest, name, new SessionAttribute(change.Value, version));
                        }
                        else if (change.IsOperation && result.OperationResults.TryGetValue(name, out var after) && after is { } attribute)
                        {
                            Keep(latest, name, attribute);
                        }
                        else
                        {
                            latest.Remove(name);
                        }
                    }

                    break;
                case CommitStatus.Conflict:
                    foreach (var (name, current) in result.Conflicts)
                    {
                        if (current is { } attribute)
                        {
                            Keep(latest, name, attribute);
                        }
                        else
                        {
                            latest.Remove(name);
                        }
                    }

                    break;
                case CommitStatus.NotFound:
                    latest.Clear();
                    break;
            }
        }
    }

    private static void Keep(Dictionary<string, SessionAttribute> latest, string name, SessionAttribute attribute)
    {
        if (!latest.TryGetValue(name, out var known) || known.Version < attribute.Version)
        {
            latest[name] = attribute;
        }
    }
}
