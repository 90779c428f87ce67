namespace Stickless.Redis;

/// <summary>
/// The principal this node last saw on a session, by id: a guess for the per-user index a commit or delete
/// declares in KEYS before it knows. The scripts check it and, when it is wrong, write nothing and name the
/// right principal, so a stale or missing entry costs one more round trip and never a wrong index.
/// </summary>
/// <remarks>
/// A fixed table indexed by the id's hash (a later id overwrites an earlier one in its slot): no locks, no
/// growth, no eviction work. Loads fill it, so the commit or delete that follows a load in the same request
/// almost always finds its entry.
/// </remarks>
internal sealed class RedisPrincipalHints
{
    private const int Size = 4096;
    private readonly Entry?[] _entries = new Entry?[Size];

    /// <summary>The principal last seen on <paramref name="id"/>; null when anonymous or not known.</summary>
    public string? Get(string id)
    {
        var entry = Volatile.Read(ref _entries[Slot(id)]);
        return entry is not null && string.Equals(entry.Id, id, StringComparison.Ordinal) ? entry.Principal : null;
    }

    public void Remember(string id, string? principal) => Volatile.Write(ref _entries[Slot(id)], new Entry(id, principal));

    public void Forget(string id)
    {
        var slot = Slot(id);
        var entry = Volatile.Read(ref _entries[slot]);
        if (entry is not null && string.Equals(entry.Id, id, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _entries[slot], null, entry);
        }
    }

    private static int Slot(string id) => (int)((uint)StringComparer.Ordinal.GetHashCode(id) % Size);

    private sealed record Entry(string Id, string? Principal);
}
