using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Stickless.Replication.Transport;

/// <summary>
/// The one place peer traffic is counted: every frame this node sends (requests and the answers it gives) and
/// receives, by message type, in bytes as they cross the wire (frame bytes; HTTP/2 framing and headers are not
/// included). Published as metrics (<c>stickless.peer.messages</c>, <c>stickless.peer.bytes</c>, tagged
/// <c>type</c> and <c>direction</c>) and read as totals by <see cref="Snapshot"/>.
/// </summary>
internal sealed class PeerTraffic
{
    private readonly ConcurrentDictionary<(PeerMessageType Type, bool Sent), Totals> _totals = new();
    private readonly Counter<long> _messages;
    private readonly Counter<long> _bytes;

    public PeerTraffic(Meter meter)
    {
        _messages = meter.CreateCounter<long>("stickless.peer.messages", "{message}", "Peer frames sent and received, by type.");
        _bytes = meter.CreateCounter<long>("stickless.peer.bytes", "By", "Bytes of peer frames sent and received, by type.");
    }

    /// <summary>Counts one frame.</summary>
    public void Count(PeerMessageType type, bool sent, int bytes)
    {
        var totals = _totals.GetOrAdd((type, sent), static _ => new Totals());
        Interlocked.Increment(ref totals.Messages);
        Interlocked.Add(ref totals.Bytes, bytes);
        var typeTag = new KeyValuePair<string, object?>("type", TypeName(type));
        var direction = new KeyValuePair<string, object?>("direction", sent ? "sent" : "received");
        _messages.Add(1, typeTag, direction);
        _bytes.Add(bytes, typeTag, direction);
    }

    /// <summary>Totals so far: (type name, sent?) → (messages, bytes).</summary>
    public IReadOnlyList<PeerTrafficTotal> Snapshot() =>
        [.. _totals.Select(p => new PeerTrafficTotal(TypeName(p.Key.Type), p.Key.Sent, Volatile.Read(ref p.Value.Messages), Volatile.Read(ref p.Value.Bytes)))
            .OrderBy(t => t.Type, StringComparer.Ordinal).ThenBy(t => t.Sent)];

    public static string TypeName(PeerMessageType type) => type switch
    {
        PeerMessageType.Ping => "ping",
        PeerMessageType.Pong => "pong",
        PeerMessageType.ProbeRequest => "probe",
        PeerMessageType.ProbeResult => "probe_result",
        PeerMessageType.Load => "load",
        PeerMessageType.LoadResult => "load_result",
        PeerMessageType.Commit => "commit",
        PeerMessageType.CommitResult => "commit_result",
        PeerMessageType.Delete => "delete",
        PeerMessageType.DeleteResult => "delete_result",
        PeerMessageType.Replicate => "replicate",
        PeerMessageType.ReplicateResult => "replicate_result",
        PeerMessageType.FindByPrincipal => "find",
        PeerMessageType.PrincipalResult => "find_result",
        PeerMessageType.TransferRequest => "transfer",
        PeerMessageType.TransferChunk => "transfer_chunk",
        PeerMessageType.Install => "install",
        PeerMessageType.Stats => "stats",
        PeerMessageType.Rebalance => "rebalance",
        PeerMessageType.Holds => "holds",
        PeerMessageType.HoldsResult => "holds_result",
        PeerMessageType.StatsResult => "stats_result",
        PeerMessageType.Refused => "refused",
        _ => "unknown",
    };

    private sealed class Totals
    {
        public long Messages;
        public long Bytes;
    }
}
