namespace Stickless.AspNetCore;

/// <summary>
/// The request's session, with typed attributes, compare-and-set updates, sign-in rotation and the
/// user's other sessions. Get it with <c>HttpContext.GetSticklessSession()</c>; <c>HttpContext.Session</c>
/// is the same session seen through <c>ISession</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Set{T}"/>, <see cref="Remove"/> and <see cref="Clear"/> are recorded in the request's change
/// set and committed once, as a delta, before the response starts. They throw
/// <see cref="InvalidOperationException"/> once the response has started, because they could no longer be
/// committed. The other async operations reach the store at once.
/// </para>
/// <para>An instance belongs to one request and is not thread-safe, like <c>HttpContext</c>.</para>
/// </remarks>
public interface ISticklessSession
{
    /// <summary>
    /// False when the store failed under <see cref="SessionFailurePolicy.Degrade"/>: the session is empty, anonymous and is
    /// not stored. Under <see cref="SessionFailurePolicy.FailClosed"/> a failed load throws
    /// <see cref="SessionStoreUnavailableException"/> here as on every other touch, and the request answers 503.
    /// </summary>
    bool IsAvailable { get; }

    /// <summary>True while the session is not stored yet (nothing was written to it, or it was just invalidated).</summary>
    bool IsNew { get; }

    /// <summary>The principal (user name) bound by <see cref="SignInAsync"/>, or null for an anonymous session.</summary>
    string? Principal { get; }

    /// <summary>When the session was created.</summary>
    DateTimeOffset CreatedAt { get; }

    /// <summary>When the store last moved the session's idle expiry.</summary>
    DateTimeOffset LastAccessedAt { get; }

    /// <summary>An opaque digest of the id (<see cref="SessionHandle.For"/>), safe to log and show; never the id.</summary>
    string Handle { get; }

    /// <summary>The names of the session's attributes, including this request's uncommitted changes.</summary>
    IEnumerable<string> Keys { get; }

    /// <summary>Reads an attribute as JSON (System.Text.Json).</summary>
    /// <returns>False when the attribute is absent or cannot be decoded as <typeparamref name="T"/> (logged; other attributes are unaffected).</returns>
    bool TryGet<T>(string key, out T? value);

    /// <summary>Reads an attribute as JSON; <c>default</c> when it is absent or cannot be decoded.</summary>
    T? Get<T>(string key);

    /// <summary>Sets an attribute (serialized as JSON) in the change set.</summary>
    /// <exception cref="SessionLimitExceededException">The value, the name or the session would break <see cref="SessionLimits"/>.</exception>
    void Set<T>(string key, T value);

    /// <summary>Removes an attribute in the change set.</summary>
    void Remove(string key);

    /// <summary>Removes every attribute in the change set.</summary>
    void Clear();

    /// <summary>
    /// Read-modify-write of one attribute, committed now as a compare-and-set against the version loaded;
    /// on conflict <paramref name="update"/> runs again with the value the store holds now (at most
    /// <see cref="SessionPolicy.MaxUpdateAttempts"/> times, with a small jittered backoff whose waits add up to
    /// at most <see cref="SticklessOptions.StoreTimeout"/>). Pending changes of the request go in the same
    /// store call. Creates the session if it is new. <paramref name="update"/> may run more than once: it must
    /// not have side effects.
    /// </summary>
    /// <returns>The committed value.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store failed or timed out (fail-closed: the request answers 503).</exception>
    /// <exception cref="SessionUpdateConflictException">
    /// Every attempt conflicted; nothing was written. Escaping the endpoint before the response started, it
    /// becomes <c>409 Conflict</c> with a problem+json body and <c>Retry-After: 0</c>.
    /// </exception>
    ValueTask<T> UpdateAsync<T>(string key, Func<T?, T> update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="delta"/> to a counter (a JSON integer; an absent attribute counts as 0) in the store, now: one
    /// store call and no compare-and-set, so concurrent increments on any nodes never conflict and none is lost. Pending
    /// changes of the request go in the same call. Creates the session if it is new.
    /// </summary>
    /// <returns>The counter's value after this increment.</returns>
    /// <exception cref="InvalidOperationException">The attribute holds something other than an integer, or the sum would overflow.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store failed or timed out (fail-closed: the request answers 503).</exception>
    ValueTask<long> IncrementAsync(string key, long delta = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="member"/> (a string or an integer) to a set (a JSON array; an absent attribute counts as empty)
    /// unless an equal member is there, in the store, now: one store call, no compare-and-set, nothing lost to concurrent
    /// changes. Pending changes of the request go in the same call. Creates the session if it is new.
    /// </summary>
    /// <returns>The set's members after this change, in the order they were added.</returns>
    /// <exception cref="ArgumentException"><paramref name="member"/> does not serialize to a JSON string or integer.</exception>
    /// <exception cref="InvalidOperationException">The attribute holds something other than an array.</exception>
    ValueTask<IReadOnlyList<T>> AddToSetAsync<T>(string key, T member, CancellationToken cancellationToken = default);

    /// <summary>Removes every member equal to <paramref name="member"/> from a set, in the store, now (as <see cref="AddToSetAsync"/>).</summary>
    /// <returns>The set's members after this change.</returns>
    ValueTask<IReadOnlyList<T>> RemoveFromSetAsync<T>(string key, T member, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds <paramref name="principal"/> and rotates the id in one store commit (the old id dies at once,
    /// on every node); the new id is sent by the id resolver. Creates the session if it is new.
    /// </summary>
    ValueTask SignInAsync(string principal, CancellationToken cancellationToken = default);

    /// <summary>Rotates the id now, keeping the data; the old id keeps working for <see cref="SessionPolicy.RotationGrace"/>.</summary>
    ValueTask RenewIdAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the session in the store now and clears the client's id. The object becomes a new, empty,
    /// anonymous session: it is stored again only if the request writes to it, then under a brand-new id.
    /// </summary>
    ValueTask InvalidateAsync(CancellationToken cancellationToken = default);

    /// <summary>The live sessions of this session's principal, on every node; empty when anonymous.</summary>
    ValueTask<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the session with <paramref name="handle"/> if it belongs to this session's principal.</summary>
    /// <returns>True when a session was deleted.</returns>
    ValueTask<bool> RevokeAsync(string handle, CancellationToken cancellationToken = default);

    /// <summary>Deletes every other session of this session's principal.</summary>
    /// <returns>How many sessions were deleted.</returns>
    ValueTask<int> RevokeOthersAsync(CancellationToken cancellationToken = default);
}
