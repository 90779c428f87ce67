namespace Stickless;

/// <summary>
/// The near cache (section <c>Stickless:NearCache</c>): each node keeps copies of recently used sessions in memory, so a
/// read-only request on a warm copy makes no store round trip (unless the touch is due) and a writing request makes one
/// (the commit). Off by default. Needs a store that publishes invalidations (<see cref="ISessionInvalidationSource"/>:
/// Redis, in-memory); with any other store the start fails with a clear message.
/// </summary>
/// <remarks>
/// What a copy may lag behind the store: a change made on another node is seen here once its invalidation arrives (the
/// store's publish, measured in the README); while the invalidation channel is down the cache is flushed and bypassed;
/// and whatever happens, no copy is served more than <see cref="MaxStaleness"/> after the store last answered for it.
/// </remarks>
public sealed class NearCacheOptions
{
    /// <summary>True to keep copies of sessions on each node. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The longest a copy is served after the store last answered for it; after that the next request reads the store
    /// again. It bounds how long a change (a logout on another node) can go unseen here even if its invalidation is lost
    /// without the channel noticing. The channel itself is proven at least every quarter of it, and declared down (every
    /// copy dropped) when half of it passed without proof. Default 2 seconds; between 100 ms and 1 hour.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most memory the copies may take, in bytes (estimated: ids, names and values, plus a fixed overhead per copy and
    /// attribute); the least recently used copies go first. A session larger than this is never cached. Default 32 MiB.
    /// </summary>
    public long MaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>How long the channel may go unproven before the source declares it down: half of <see cref="MaxStaleness"/>.</summary>
    public TimeSpan SilenceLimit => MaxStaleness / 2;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MaxStaleness < TimeSpan.FromMilliseconds(100) || MaxStaleness > TimeSpan.FromHours(1))
        {
            errors.Add($"NearCache:{nameof(MaxStaleness)} must be between 100 ms and 1 hour (was {MaxStaleness}).");
        }

        if (MaxBytes < 64 * 1024)
        {
            errors.Add($"NearCache:{nameof(MaxBytes)} must be at least 65536 (was {MaxBytes}).");
        }
    }
}
