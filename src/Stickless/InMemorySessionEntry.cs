namespace Stickless;

/// <summary>
/// The slot of one session id in <see cref="InMemorySessionStore"/>: a lock that serializes writers, and
/// the current immutable state, which readers take without the lock.
/// </summary>
/// <remarks>
/// Once <see cref="State"/> becomes null (deleted, expired or renamed) the entry is dead for good: it is
/// removed from the store's map under <see cref="Gate"/>, and a writer that finds it dead looks the id up again
/// (it may have become a grace alias). A dead entry never comes back, which is how a commit never
/// resurrects a session.
/// </remarks>
internal sealed class InMemorySessionEntry
{
    private volatile InMemorySessionState? _state;

    public InMemorySessionEntry(InMemorySessionState state) => _state = state;

    /// <summary>Serializes every change to this entry.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The current state, or null once the session is dead. Written only under <see cref="Gate"/>.</summary>
    public InMemorySessionState? State
    {
        get => _state;
        set => _state = value;
    }
}
