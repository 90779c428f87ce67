using System.Text;
using Microsoft.Extensions.Logging;
using Stickless.Memcached.Connections;
using Stickless.Memcached.Ring;

namespace Stickless.Memcached;

/// <summary>
/// The configured nodes and their ring, fixed for the store's life: a node that dies keeps its place, so nothing is
/// remapped; its keys are served by their backup node until it is re-admitted.
/// </summary>
internal sealed class MemcachedTopology : IAsyncDisposable
{
    private readonly KetamaRing _ring;

    public MemcachedTopology(IReadOnlyList<MemcachedServerAddress> servers, MemcachedSessionStoreOptions options, TimeProvider time, ILogger logger)
    {
        Servers = servers;
        var settings = new MemcachedNodeSettings(options.OperationTimeout, options.ConnectTimeout, options.ProbeInterval, options.MarkDownAfterTimeouts);
        Nodes = [.. servers.Select((s, i) => new MemcachedNode(s.Host, s.Port, settings, time, logger)
        {
            Tag = $"{i}-{KetamaRing.Hash(Encoding.UTF8.GetBytes(s.RingName(options.NameFormat))):x8}",
        })];
        _ring = new KetamaRing([.. servers.Select(s => new KetamaNode(s.RingName(options.NameFormat), s.Weight))]);
        Marks = new ActingWriteMarks(Nodes, options.KeyPrefix);
        foreach (var node in Nodes)
        {
            node.Readmission = Marks;
        }
    }

    public IReadOnlyList<MemcachedServerAddress> Servers { get; }

    public IReadOnlyList<MemcachedNode> Nodes { get; }

    /// <summary>The marks that decide whether a returning node is flushed.</summary>
    public ActingWriteMarks Marks { get; }

    /// <summary>The owner of <paramref name="hash"/> and its backup node (null with one node).</summary>
    public (MemcachedNode Primary, MemcachedNode? Backup) Place(string hash)
    {
        var (primary, backup) = _ring.GetPrimaryAndBackup(KetamaRing.Hash(Encoding.ASCII.GetBytes(hash)));
        return (Nodes[primary], backup < 0 ? null : Nodes[backup]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
