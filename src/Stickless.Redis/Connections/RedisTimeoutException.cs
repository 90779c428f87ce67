namespace Stickless.Redis.Connections;

/// <summary>
/// A command got no reply within its timeout. It may still run on the server; its late reply is read and
/// discarded, never handed to another caller.
/// </summary>
public sealed class RedisTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public RedisTimeoutException() : base("The Redis command timed out.") { }

    /// <summary>Creates the exception with a message.</summary>
    public RedisTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RedisTimeoutException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The server concerned, when known.</summary>
    public RedisEndpoint? Endpoint { get; init; }
}
