using Microsoft.Extensions.Logging;
using Stickless.Replication.Membership;

namespace Stickless.Replication;

/// <summary>The replication package's log messages (event ids 5000–5999). Session ids are never logged.</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 5000, EventName = "PeerFrameRefused", Level = LogLevel.Warning, Message = "Refused a peer frame: {Reason}")]
    public static partial void PeerFrameRefused(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 5001, EventName = "NodeStatusChanged", Level = LogLevel.Information, Message = "Node {NodeId} is now {Status}.")]
    public static partial void StatusChanged(ILogger logger, string nodeId, PeerStatus status);

    [LoggerMessage(EventId = 5002, EventName = "HeartbeatFailed", Level = LogLevel.Warning, Message = "A heartbeat round failed; the next one retries.")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5003, EventName = "PeerDead", Level = LogLevel.Warning, Message = "Peer {NodeId} is dead: silent for {SilenceMs:0} ms and no probe reached it.")]
    public static partial void PeerDead(ILogger logger, string nodeId, double silenceMs);

    [LoggerMessage(EventId = 5004, EventName = "SelfPaused", Level = LogLevel.Warning, Message = "This node's heartbeat ran {GapMs:0} ms late (paused?): it rejoins before serving again.")]
    public static partial void SelfPaused(ILogger logger, double gapMs);

    [LoggerMessage(EventId = 5005, EventName = "IndirectProbeReached", Level = LogLevel.Information, Message = "Peer {NodeId} was silent but another peer reached it: not dead.")]
    public static partial void IndirectProbeReached(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 5006, EventName = "PeerRefusedDead", Level = LogLevel.Warning, Message = "Peer {NodeId} is dead: it refused connections and no probe reached it.")]
    public static partial void PeerRefusedDead(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 5007, EventName = "PeerRestarted", Level = LogLevel.Information, Message = "Peer {NodeId} restarted (new incarnation): it joins empty.")]
    public static partial void PeerRestarted(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 5008, EventName = "PeerReturned", Level = LogLevel.Warning, Message = "Peer {NodeId}, declared dead, answers again with the same incarnation (healed partition or pause): reconciling.")]
    public static partial void PeerReturned(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 5009, EventName = "ViewChanged", Level = LogLevel.Information, Message = "View {Version}: ready [{Ready}], joining [{Joining}].")]
    public static partial void ViewChanged(ILogger logger, long version, IReadOnlyList<string> ready, IReadOnlyList<string> joining);

    [LoggerMessage(EventId = 5020, EventName = "CopyFailed", Level = LogLevel.Warning, Message = "A copy was not acknowledged: {Reason}")]
    public static partial void CopyFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5021, EventName = "RebalanceFailed", Level = LogLevel.Warning, Message = "Re-replication after a view change failed; the next change retries.")]
    public static partial void RebalanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5022, EventName = "Rebalanced", Level = LogLevel.Information, Message = "View {Version}: {Promoted} sessions taken over (new epoch), {Sent} whole states sent, {Dropped} copies handed over (dropped by the sweep later).")]
    public static partial void Rebalanced(ILogger logger, long version, int promoted, int sent, int dropped);

    [LoggerMessage(EventId = 5023, EventName = "Healed", Level = LogLevel.Information, Message = "Reconciled with {NodeId}: {Changed} states taken from it.")]
    public static partial void Healed(ILogger logger, string nodeId, int changed);

    [LoggerMessage(EventId = 5024, EventName = "TransferFailed", Level = LogLevel.Warning, Message = "State transfer from {NodeId} failed.")]
    public static partial void TransferFailed(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(EventId = 5025, EventName = "Joined", Level = LogLevel.Information, Message = "Joined: {Received} states received from {Peers} Ready nodes in {Seconds:0.00} s.")]
    public static partial void Joined(ILogger logger, int received, int peers, double seconds);

    [LoggerMessage(EventId = 5026, EventName = "TransferTimedOut", Level = LogLevel.Error, Message = "State transfer did not complete within {Seconds} s; the node stays Joining (not ready) and tries again.")]
    public static partial void TransferTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 5027, EventName = "SweepFailed", Level = LogLevel.Warning, Message = "Expiry sweep failed; the next tick retries.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
