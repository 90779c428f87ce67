namespace Stickless.Redis.Resp;

/// <summary>
/// The bytes received are not valid RESP (bad type byte, bad or oversized length, missing CRLF, too deep
/// nesting…). A connection that sees one cannot trust anything after it and is torn down.
/// </summary>
public sealed class RespProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RespProtocolException() : base("Malformed RESP data.") { }

    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public RespProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RespProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
