namespace Stickless.Memcached.Connections;

/// <summary>
/// A memcached node could not be reached, is marked down, lost the connection, or sent a reply that could
/// not be trusted. Calls in flight when a connection fails get this too: their outcome is unknown.
/// </summary>
public class MemcachedConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MemcachedConnectionException() : base("The memcached connection failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedConnectionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MemcachedConnectionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The node, as <c>host:port</c>, when known.</summary>
    public string? Node { get; init; }
}
