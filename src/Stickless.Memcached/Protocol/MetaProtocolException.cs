namespace Stickless.Memcached.Protocol;

/// <summary>
/// The bytes received are not a valid memcached reply (bad status, bad or oversized length, missing CRLF, a
/// line without end, an opaque token that does not match the request). A connection that sees one cannot
/// trust anything after it and is torn down.
/// </summary>
public sealed class MetaProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MetaProtocolException() : base("Malformed memcached reply.") { }

    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public MetaProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MetaProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
