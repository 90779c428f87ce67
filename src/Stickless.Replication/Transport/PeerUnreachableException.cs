namespace Stickless.Replication.Transport;

/// <summary>A peer call did not complete: refused, reset, timed out, or answered with an HTTP error.</summary>
internal sealed class PeerUnreachableException : Exception
{
    public PeerUnreachableException(string peer, string message, Exception? innerException = null)
        : base($"Peer {peer}: {message}", innerException) => Peer = peer;

    /// <summary>The node id that was called.</summary>
    public string Peer { get; }

    /// <summary>True when the connection was refused or reset at once (nothing listens): strong evidence the process is gone.</summary>
    public bool Refused { get; init; }
}
