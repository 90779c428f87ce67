namespace Stickless.Replication.Transport;

/// <summary>What a handler answers to a peer request: the answer's type and body.</summary>
internal readonly record struct PeerReply(PeerMessageType Type, ReadOnlyMemory<byte> Body);
