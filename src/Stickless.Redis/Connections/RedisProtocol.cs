namespace Stickless.Redis.Connections;

/// <summary>The RESP version a connection speaks.</summary>
public enum RedisProtocol
{
    /// <summary>RESP2, which every Redis speaks (the default).</summary>
    Resp2 = 2,

    /// <summary>RESP3, negotiated with <c>HELLO 3</c> (Redis 6 and later).</summary>
    Resp3 = 3,
}
