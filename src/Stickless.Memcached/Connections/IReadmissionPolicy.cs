namespace Stickless.Memcached.Connections;

/// <summary>
/// Decides whether a node that comes back (without having restarted) must be flushed before it is used again: it must
/// if anything it holds may have been superseded elsewhere while it was down. Without a policy a node is always flushed.
/// </summary>
internal interface IReadmissionPolicy
{
    /// <summary>True when the node must be flushed; false when nothing it holds can be stale.</summary>
    Task<bool> NeedsFlushAsync(MemcachedNode node, CancellationToken cancellationToken);

    /// <summary>Called after the node was flushed (for instance to clear the marks that asked for it).</summary>
    Task FlushedAsync(MemcachedNode node, CancellationToken cancellationToken);
}
