namespace Stickless.Redis.Resp;

/// <summary>
/// The server answered a command with an error reply (<c>-ERR …</c>, <c>-NOSCRIPT …</c>). The connection is
/// healthy; only this command failed.
/// </summary>
public sealed class RedisServerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisServerException() : this("ERR") { }

    /// <summary>Creates the exception from the server's error text.</summary>
    public RedisServerException(string message) : base(message) => ErrorCode = FirstWord(message);

    /// <summary>Creates the exception from the server's error text and a cause.</summary>
    public RedisServerException(string message, Exception innerException) : base(message, innerException) => ErrorCode = FirstWord(message);

    /// <summary>The error prefix: the first word of the message (<c>ERR</c>, <c>NOSCRIPT</c>, <c>WRONGTYPE</c>…).</summary>
    public string ErrorCode { get; }

    /// <summary>The script is not in the server's script cache (<c>NOSCRIPT</c>): load it and retry.</summary>
    public bool IsNoScript => ErrorCode == "NOSCRIPT";

    /// <summary>The server is a read-only replica (<c>READONLY</c>), e.g. just after a failover.</summary>
    public bool IsReadOnly => ErrorCode == "READONLY";

    /// <summary>Cluster redirection (<c>MOVED</c> or <c>ASK</c>).</summary>
    public bool IsMoved => ErrorCode is "MOVED" or "ASK";

    /// <summary>Authentication failed or is required (<c>WRONGPASS</c>, <c>NOAUTH</c>, <c>NOPERM</c>).</summary>
    public bool IsAuthenticationError => ErrorCode is "WRONGPASS" or "NOAUTH" or "NOPERM";

    /// <summary>The key holds another type (<c>WRONGTYPE</c>).</summary>
    public bool IsWrongType => ErrorCode == "WRONGTYPE";

    /// <summary>The server is loading its data set or a script is busy (<c>LOADING</c>, <c>BUSY</c>, <c>MASTERDOWN</c>, <c>TRYAGAIN</c>): worth retrying later.</summary>
    public bool IsTransient => ErrorCode is "LOADING" or "BUSY" or "MASTERDOWN" or "TRYAGAIN" or "CLUSTERDOWN";

    private static string FirstWord(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? message : message[..space];
    }
}
