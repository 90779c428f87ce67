namespace Stickless.Redis.Connections;

/// <summary>
/// The client could not talk to Redis: it could not connect or authenticate, the connection dropped, or the
/// server sent bytes that are not valid RESP. Commands in flight on that connection fail with this exception:
/// they may or may not have run.
/// </summary>
public class RedisConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisConnectionException() : base("The Redis connection failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    public RedisConnectionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RedisConnectionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The server concerned, when known.</summary>
    public RedisEndpoint? Endpoint { get; init; }
}
