namespace Stickless.Memcached.Connections;

/// <summary>
/// A value would not fit in the node's <c>item_size_max</c>. It is refused before it is sent, because memcached
/// answers an oversized <c>ms</c> by deleting the item it would have replaced.
/// </summary>
public sealed class MemcachedItemTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MemcachedItemTooLargeException() : base("The item is too large for memcached.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedItemTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MemcachedItemTooLargeException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The bytes the item would take (value, key and header).</summary>
    public long ItemBytes { get; init; }

    /// <summary>The node's limit.</summary>
    public long Limit { get; init; }
}
