namespace Stickless.Memcached.Connections;

/// <summary>A memcached call got no answer within its timeout; whether it took effect is unknown.</summary>
public sealed class MemcachedTimeoutException : MemcachedConnectionException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedTimeoutException() : base("A memcached call timed out.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MemcachedTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
