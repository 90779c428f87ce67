namespace Stickless.Memcached.Ring;

/// <summary>
/// How a node's ring name is derived from its address when no name is configured. Clients that share a
/// fleet must agree on it, or they place the same key on different nodes.
/// </summary>
public enum KetamaNameFormat
{
    /// <summary>libmemcached (and twemproxy): <c>host</c> when the port is 11211, else <c>host:port</c>. The default.</summary>
    Libmemcached,

    /// <summary>spymemcached's default for IP literals: <c>host:port</c>, always with the port.</summary>
    Spymemcached,

    /// <summary>libmemcached's <c>CONSISTENT_KETAMA_SPY</c> distribution: <c>/host:port</c> (pre-2010 spymemcached).</summary>
    LibmemcachedSpy,
}
