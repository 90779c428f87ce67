using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Connections;

/// <summary>
/// memcached answered <c>ERROR</c>, <c>CLIENT_ERROR</c> or <c>SERVER_ERROR</c>. The first two mean the client
/// sent something the server did not understand, so the connection is reset; <c>SERVER_ERROR</c> (too large, out
/// of memory) leaves it up. Note that memcached unlinks the existing item when an <c>ms</c> fails with
/// <c>SERVER_ERROR</c>.
/// </summary>
public sealed class MemcachedServerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MemcachedServerException() : base("memcached answered with an error.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedServerException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MemcachedServerException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Which error line it was.</summary>
    public MetaStatus Status { get; init; }

    /// <summary>The node, as <c>host:port</c>, when known.</summary>
    public string? Node { get; init; }
}
