namespace Stickless.Replication.Transport;

/// <summary>One decoded, authenticated peer message: who sent it to whom, when, and its body.</summary>
/// <param name="Type">What it is.</param>
/// <param name="IsResponse">True for an answer (its <paramref name="Sequence"/> is the request's).</param>
/// <param name="Sender">The sender's node id.</param>
/// <param name="SenderIncarnation">The sender's incarnation (random, fixed at its process start).</param>
/// <param name="Recipient">The node id the sender meant it for.</param>
/// <param name="SentAt">The sender's clock when it was sent.</param>
/// <param name="Sequence">The sender's message number towards this recipient (per incarnation), for replay refusal.</param>
/// <param name="Body">The body, to be read with <see cref="PeerReader"/>.</param>
/// <param name="FrameBytes">The whole frame's size on the wire, tag included.</param>
internal sealed record PeerFrame(
    PeerMessageType Type,
    bool IsResponse,
    string Sender,
    ulong SenderIncarnation,
    string Recipient,
    DateTimeOffset SentAt,
    ulong Sequence,
    ReadOnlyMemory<byte> Body,
    int FrameBytes);
