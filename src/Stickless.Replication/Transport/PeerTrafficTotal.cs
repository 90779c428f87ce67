namespace Stickless.Replication.Transport;

/// <summary>Frames of one type in one direction since the process started.</summary>
/// <param name="Type">The message type (<c>replicate</c>, <c>load</c>, …).</param>
/// <param name="Sent">True for frames this node sent, false for frames it received.</param>
/// <param name="Messages">How many frames.</param>
/// <param name="Bytes">Their bytes on the wire (frames, not HTTP/2 framing).</param>
public sealed record PeerTrafficTotal(string Type, bool Sent, long Messages, long Bytes);
