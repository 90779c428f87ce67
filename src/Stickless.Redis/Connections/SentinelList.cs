namespace Stickless.Redis.Connections;

/// <summary>
/// The known sentinels, best first. As Redis's client guidelines ask, the sentinel that last answered moves to
/// the front (so the next resolution asks it first), and sentinels learnt from <c>SENTINEL sentinels</c> are
/// appended at the end. Thread-safe; readers get snapshots. As a resolver it hands the sentinels themselves
/// to the connection that listens for <c>+switch-master</c>.
/// </summary>
internal sealed class SentinelList : IRedisEndpointResolver
{
    private readonly Lock _gate = new();
    private RedisEndpoint[] _sentinels;

    public SentinelList(IEnumerable<RedisEndpoint> sentinels) => _sentinels = [.. sentinels.Distinct()];

    public IReadOnlyList<RedisEndpoint> Snapshot() => Volatile.Read(ref _sentinels);

    public ValueTask<IReadOnlyList<RedisEndpoint>> ResolveAsync(CancellationToken cancellationToken) => new(Snapshot());

    /// <summary>Moves <paramref name="sentinel"/> to the front.</summary>
    public void Promote(RedisEndpoint sentinel)
    {
        lock (_gate)
        {
            if (_sentinels.Length > 0 && _sentinels[0] == sentinel) { return; }
            Volatile.Write(ref _sentinels, [sentinel, .. _sentinels.Where(s => s != sentinel)]);
        }
    }

    /// <summary>Appends the sentinels not yet known; returns how many were new.</summary>
    public int AddMissing(IEnumerable<RedisEndpoint> discovered)
    {
        lock (_gate)
        {
            var added = discovered.Where(d => !_sentinels.Contains(d)).Distinct().ToArray();
            if (added.Length > 0) { Volatile.Write(ref _sentinels, [.. _sentinels, .. added]); }
            return added.Length;
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Snapshot());
}
