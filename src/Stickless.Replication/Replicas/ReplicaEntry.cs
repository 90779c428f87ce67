namespace Stickless.Replication.Replicas;

/// <summary>
/// The slot of one session id on one node: an async lock that orders the owner's writes (held across the copy to
/// the backup, so copies leave in order), and the current state, which readers take without the lock.
/// </summary>
internal sealed class ReplicaEntry(string id)
{
    private volatile ReplicaState? _state;

    public string Id { get; } = id;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The current state; null while a create is being decided. Written only under <see cref="Gate"/> (through the table).</summary>
    public ReplicaState? State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>
    /// True once the entry left the table (its id forgotten). Set under <see cref="Gate"/>; whoever takes the gate of a
    /// removed entry must look the id up again, or a state published into it would be invisible.
    /// </summary>
    public bool Removed { get; set; }

    /// <summary>The membership clock's timestamp when this node handed the session to its new holders (0: it holds it); the sweep drops it later if it still does not hold it.</summary>
    public long HandedOverAt { get; set; }

    /// <summary>The peers known to hold <see cref="State"/>'s version (the owner's bookkeeping for re-replication).</summary>
    public string[] CopiesAt { get; set; } = [];
}
