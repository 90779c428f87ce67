using Stickless.Memcached.Connections;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached;

/// <summary>
/// Remembers, in memcached itself, that some app node wrote a down node's sessions elsewhere. Before any write to an
/// acting primary (a backup key used because the owner is down), the writer sets a mark about the owner on the node it
/// writes to. When the owner comes back, it is flushed if any other node holds such a mark (or cannot be asked), and
/// used as it is otherwise: a node that was only frozen while nobody wrote around it keeps its sessions. A node that
/// cannot be asked counts as holding no mark (see <see cref="NeedsFlushAsync"/>).
/// </summary>
internal sealed class ActingWriteMarks(IReadOnlyList<MemcachedNode> nodes, string prefix) : IReadmissionPolicy
{
    private const int MarkTtlSeconds = 7 * 24 * 60 * 60;
    private static readonly byte[] MarkValue = "1"u8.ToArray();

    /// <summary>Marks, on <paramref name="holder"/>, that a session owned by <paramref name="owner"/> is being written there.</summary>
    public async Task MarkAsync(MemcachedNode owner, MemcachedNode holder, CancellationToken cancellationToken)
    {
        var written = await holder.SetAsync(KeyFor(owner), MarkValue, new MetaSetOptions(MetaSetMode.Set, MarkTtlSeconds), cancellationToken).ConfigureAwait(false);
        if (written.Status != MetaStatus.Header)
        {
            throw new MemcachedConnectionException($"memcached {holder.Endpoint} did not store the acting-write mark.") { Node = holder.Endpoint };
        }
    }

    public async Task<bool> NeedsFlushAsync(MemcachedNode node, CancellationToken cancellationToken)
    {
        foreach (var other in nodes)
        {
            if (ReferenceEquals(other, node))
            {
                continue;
            }

            try
            {
                if (await other.PeekAsync(KeyFor(node), cancellationToken).ConfigureAwait(false) != MetaStatus.Miss)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException or OperationCanceledException or TimeoutException)
            {
                // A node that cannot be asked is taken to hold no mark. Flushing on every doubt would wipe a healthy
                // node whenever another is dead; the price is a double fault (this node down, writes go around it to
                // that one, then that one dies too): its acting copies are unreachable either way, and this node
                // serves what it held before.
            }
        }

        return false;
    }

    public async Task FlushedAsync(MemcachedNode node, CancellationToken cancellationToken)
    {
        foreach (var other in nodes)
        {
            if (!ReferenceEquals(other, node) && !other.IsDown)
            {
                try
                {
                    await other.DeleteAsync(KeyFor(node), 0, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MemcachedConnectionException or MemcachedServerException or OperationCanceledException)
                {
                    // A mark left behind only costs one more flush.
                }
            }
        }
    }

    private byte[] KeyFor(MemcachedNode owner) => System.Text.Encoding.ASCII.GetBytes(prefix + "a:" + owner.Tag);
}
