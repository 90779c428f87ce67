namespace Stickless.Lab.Workload;

/// <summary>
/// The client-side truth of what one virtual user's session must contain, and the judge of every
/// answer against it. Pure logic: no I/O, no clock; one instance per user, not thread-safe.
/// </summary>
/// <remarks>
/// <para>The three counts, precisely:</para>
/// <list type="bullet">
/// <item><b>Session lost</b>: a signed-in user was answered as anonymous (401 on a request that
/// needs the session). Each occurrence counts; the user then signs in again and the model forgets
/// the session-scoped state (counter, wishlist), which the lost session took with it — those are
/// never counted again as lost updates.</item>
/// <item><b>Stale read</b>: a <c>GET /wishlist</c> whose items disagree with the model on a live
/// session. Items whose last write failed without an answer are not judged; reads decide them until an
/// acknowledged write of the item (a read may show a write that was never acknowledged and is later
/// rolled back, for example by a failover to a replica that never received it: not a lost update).</item>
/// <item><b>Lost update</b>: an acknowledged write whose effect is gone for good on a live session:
/// <c>POST /counter</c> answering less than the last acknowledged value + 1 (the earlier increment
/// was overwritten), or a wishlist item that disagrees on three reads in a row (the first
/// disagreement and the next two). The model then adopts what the server shows.</item>
/// </list>
/// <para>
/// Right after signing in the model knows nothing of the session's counter and wishlist (sign-in
/// keeps the anonymous session's data): the first observation of each is adopted, not judged.
/// The caller confirms the session is alive (<c>GET /me</c>) before committing a disagreement,
/// so that a lost session is never counted as a stale read or a lost update as well.
/// </para>
/// </remarks>
internal sealed class ShadowSession
{
    /// <summary>Reads in a row on which an item must disagree before its write counts as lost.</summary>
    public const int ReadsToConfirmLoss = 3;

    private readonly Dictionary<string, WishlistItemState> _wishlist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _disagreements = new(StringComparer.Ordinal);

    // Items whose state a read decided after a write failed without an answer: never acknowledged, so never judged.
    private readonly HashSet<string> _unacknowledged = new(StringComparer.Ordinal);
    private bool _wishlistKnown;
    private long? _counter;

    /// <summary>True between a successful sign-in and the first anonymous answer.</summary>
    public bool SignedIn { get; private set; }

    /// <summary>The last acknowledged counter value; null when unknown (just signed in).</summary>
    public long? Counter => _counter;

    /// <summary>The items the model expects in the wishlist (uncertain ones excluded).</summary>
    public IReadOnlyCollection<string> ExpectedWishlist =>
        [.. _wishlist.Where(static p => p.Value == WishlistItemState.Present).Select(static p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>A sign-in was acknowledged: a new session whose data the model does not know yet.</summary>
    public void OnSignedIn()
    {
        SignedIn = true;
        ForgetSessionState();
    }

    /// <summary>The server answered 401 to a request that needs the session.</summary>
    /// <returns>One session lost if the user was signed in; nothing otherwise.</returns>
    public ShadowVerdict OnAnonymous()
    {
        if (!SignedIn)
        {
            return ShadowVerdict.None;
        }

        SignedIn = false;
        ForgetSessionState();
        return new ShadowVerdict(SessionsLost: 1, StaleReads: 0, LostUpdates: 0);
    }

    /// <summary>True when a counter answer contradicts the model (it went backwards).</summary>
    public bool CounterDisagrees(long value) => _counter is { } last && value < last + 1;

    /// <summary>A <c>POST /counter</c> was acknowledged with <paramref name="value"/>.</summary>
    /// <returns>One lost update when the value went backwards; the model adopts the value either way.</returns>
    public ShadowVerdict OnCounterAcknowledged(long value)
    {
        var lost = CounterDisagrees(value);

        // A value above last + 1 is explained by an increment that failed without an answer yet
        // was committed: the model simply adopts it.
        _counter = value;
        return lost ? new ShadowVerdict(0, 0, LostUpdates: 1) : ShadowVerdict.None;
    }

    /// <summary>An add (<paramref name="present"/> true) or remove of <paramref name="eventId"/> was acknowledged.</summary>
    public void OnWishlistWritten(string eventId, bool present)
    {
        _wishlist[eventId] = present ? WishlistItemState.Present : WishlistItemState.Absent;
        _disagreements.Remove(eventId);
        _unacknowledged.Remove(eventId);
    }

    /// <summary>A wishlist write failed without an answer: the next read decides the item.</summary>
    public void OnWishlistWriteFailed(string eventId)
    {
        _wishlist[eventId] = WishlistItemState.Uncertain;
        _disagreements.Remove(eventId);
        _unacknowledged.Remove(eventId);
    }

    /// <summary>True when a wishlist read contradicts the model (without changing the model).</summary>
    public bool WishlistDisagrees(IReadOnlyCollection<string> items) => FindDisagreements(ToSet(items)).Count > 0;

    /// <summary>A <c>GET /wishlist</c> on a live session answered <paramref name="items"/>.</summary>
    /// <returns>One stale read if it disagrees; one lost update per item that disagreed <see cref="ReadsToConfirmLoss"/> reads in a row.</returns>
    public ShadowVerdict OnWishlistRead(IReadOnlyCollection<string> items)
    {
        var served = ToSet(items);
        var disagreeing = FindDisagreements(served);

        foreach (var (id, state) in _wishlist.ToList())
        {
            if (state == WishlistItemState.Uncertain || _unacknowledged.Contains(id))
            {
                // Decided by what the server holds, not by an acknowledgement: it may still be rolled back (a read
                // from a master whose replicas never got the write), so it is followed, never judged.
                _wishlist[id] = served.Contains(id) ? WishlistItemState.Present : WishlistItemState.Absent;
                _unacknowledged.Add(id);
            }

            if (!disagreeing.Contains(id))
            {
                _disagreements.Remove(id);
            }
        }

        if (!_wishlistKnown)
        {
            // First read of this session: adopt what the server holds beyond what was acknowledged.
            foreach (var id in served)
            {
                _wishlist.TryAdd(id, WishlistItemState.Present);
            }

            _wishlistKnown = true;
        }

        var lost = 0;
        foreach (var id in disagreeing)
        {
            var seen = _disagreements.GetValueOrDefault(id) + 1;
            if (seen >= ReadsToConfirmLoss)
            {
                lost++;
                _wishlist[id] = served.Contains(id) ? WishlistItemState.Present : WishlistItemState.Absent;
                _disagreements.Remove(id);
            }
            else
            {
                _disagreements[id] = seen;
            }
        }

        return new ShadowVerdict(0, disagreeing.Count > 0 ? 1 : 0, lost);
    }

    private HashSet<string> FindDisagreements(HashSet<string> served)
    {
        var disagreeing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, state) in _wishlist)
        {
            if (state != WishlistItemState.Uncertain && !_unacknowledged.Contains(id) && (state == WishlistItemState.Present) != served.Contains(id))
            {
                disagreeing.Add(id);
            }
        }

        if (_wishlistKnown)
        {
            // Once the whole wishlist is known, an item nobody added is a disagreement too.
            foreach (var id in served)
            {
                if (!_wishlist.ContainsKey(id))
                {
                    disagreeing.Add(id);
                }
            }
        }

        return disagreeing;
    }

    private void ForgetSessionState()
    {
        _wishlist.Clear();
        _disagreements.Clear();
        _unacknowledged.Clear();
        _wishlistKnown = false;
        _counter = null;
    }

    private static HashSet<string> ToSet(IReadOnlyCollection<string> items) => new(items, StringComparer.Ordinal);
}
