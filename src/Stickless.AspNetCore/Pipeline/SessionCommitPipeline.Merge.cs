using System.Globalization;

namespace Stickless.AspNetCore;

internal sealed partial class SessionCommitPipeline
{
    /// <summary>
    /// True when a change set may share a store call: no create, rename, clear or principal change, and no compare-and-set
    /// (those go alone, in order; a compare-and-set builds on what came before it).
    /// </summary>
    internal static bool IsMergeable(SessionChangeSet changes)
    {
        if (changes.IsNew || changes.NewSessionId is not null || changes.ClearAttributes || changes.SetsPrincipal)
        {
            return false;
        }

        foreach (var (_, change) in changes.Attributes)
        {
            if (change.ExpectedVersion is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Takes the next store call's waiters off the head of <paramref name="queue"/>: a turn or a change set that goes alone,
    /// or the longest run of mergeable change sets that touch different attributes (or increment the same counter).
    /// </summary>
    internal static List<SessionLaneItem> TakeBatch(List<SessionLaneItem> queue)
    {
        var first = queue[0];
        var batch = new List<SessionLaneItem> { first };
        if (first.Mergeable)
        {
            var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
            Note(kinds, first.Changes!);
            while (batch.Count < MaxBatch && batch.Count < queue.Count)
            {
                var next = queue[batch.Count];
                if (!next.Mergeable || !CanJoin(kinds, next.Changes!))
                {
                    break;
                }

                Note(kinds, next.Changes!);
                batch.Add(next);
            }
        }

        queue.RemoveRange(0, batch.Count);
        return batch;
    }

    /// <summary>One change set of the batch's change sets: attributes side by side, increments of one counter summed, touch if any touches.</summary>
    internal static SessionChangeSet Merge(List<SessionLaneItem> batch)
    {
        var first = batch[0].Changes!;
        var attributes = new Dictionary<string, AttributeChange>(StringComparer.Ordinal);
        var touch = false;
        var now = first.Now;
        foreach (var item in batch)
        {
            var changes = item.Changes!;
            touch |= changes.Touch;
            if (changes.Now > now)
            {
                now = changes.Now;
            }

            foreach (var (name, change) in changes.Attributes)
            {
                attributes[name] = attributes.TryGetValue(name, out var earlier)
                    ? AttributeChange.Increment(earlier.Delta + change.Delta)
                    : change;
            }
        }

        return new SessionChangeSet { SessionId = first.SessionId, Now = now, Touch = touch, Attributes = attributes };
    }

    /// <summary>
    /// Each waiter's share of a merged call's answer: its own attributes' versions and results, and for a counter it
    /// incremented together with others, the value its increment gave (the batch taken in arrival order).
    /// </summary>
    internal static LaneCommitResult[] Split(List<SessionLaneItem> batch, CommitResult result)
    {
        var results = new LaneCommitResult[batch.Count];
        if (result.Status != CommitStatus.Committed)
        {
            Array.Fill(results, new LaneCommitResult(result));
            return results;
        }

        // For a summed counter: what the increments that came after each waiter's still add to its value.
        var after = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = batch.Count - 1; i >= 0; i--)
        {
            var changes = batch[i].Changes!;
            var versions = new Dictionary<string, long>(StringComparer.Ordinal);
            var operations = new Dictionary<string, SessionAttribute?>(StringComparer.Ordinal);
            Dictionary<string, long>? own = null;
            foreach (var (name, change) in changes.Attributes)
            {
                if (result.NewVersions.TryGetValue(name, out var version))
                {
                    versions[name] = version;
                }

                if (change.IsOperation && result.OperationResults.TryGetValue(name, out var state))
                {
                    // The store's state after the whole call, with its version: what this request's snapshot must hold.
                    operations[name] = state;
                    if (change.Kind == AttributeChangeKind.Increment && state is { } counter && TryReadCounter(counter, out var final))
                    {
                        var later = after.GetValueOrDefault(name);
                        (own ??= new(StringComparer.Ordinal))[name] = final - later;
                        after[name] = later + change.Delta;
                    }
                }
            }

            results[i] = new LaneCommitResult(
                new CommitResult
                {
                    Status = CommitStatus.Committed,
                    NewVersions = versions,
                    OperationResults = operations,
                    Sequence = result.Sequence,
                    CommittedAt = result.CommittedAt,
                },
                own);
        }

        return results;
    }

    private static void Note(Dictionary<string, long> kinds, SessionChangeSet changes)
    {
        foreach (var (name, change) in changes.Attributes)
        {
            // The running sum of a counter's increments; any other change is marked by long.MinValue.
            kinds[name] = change.Kind == AttributeChangeKind.Increment && kinds.GetValueOrDefault(name, 0) != long.MinValue
                ? kinds.GetValueOrDefault(name) + change.Delta
                : long.MinValue;
        }
    }

    private static bool CanJoin(Dictionary<string, long> kinds, SessionChangeSet changes)
    {
        foreach (var (name, change) in changes.Attributes)
        {
            if (!kinds.TryGetValue(name, out var sum))
            {
                continue;
            }

            // Two writes of one attribute cannot share a call (one would vanish), but increments of one counter add up,
            // as long as the sum stays a 64-bit integer.
            if (sum == long.MinValue || change.Kind != AttributeChangeKind.Increment || !TryAdd(sum, change.Delta, out _))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryAdd(long a, long b, out long sum)
    {
        sum = unchecked(a + b);
        return !(((a ^ sum) & (b ^ sum)) < 0) && sum != long.MinValue;
    }

    private static bool TryReadCounter(SessionAttribute attribute, out long value) =>
        long.TryParse(attribute.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
