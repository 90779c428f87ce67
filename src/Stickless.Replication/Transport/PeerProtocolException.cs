namespace Stickless.Replication.Transport;

/// <summary>A peer message was malformed, too large, unauthenticated, replayed or not meant for this node.</summary>
public sealed class PeerProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PeerProtocolException() : base("Malformed peer message.") { }

    /// <summary>Creates the exception with a message.</summary>
    public PeerProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PeerProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
