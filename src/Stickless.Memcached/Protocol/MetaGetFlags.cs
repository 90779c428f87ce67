namespace Stickless.Memcached.Protocol;

/// <summary>What an <c>mg</c> asks the server to return.</summary>
[Flags]
internal enum MetaGetFlags
{
    /// <summary>Nothing: an <c>HD</c> on a hit, <c>EN</c> on a miss.</summary>
    None = 0,

    /// <summary><c>v</c>: the value (the reply becomes <c>VA</c>).</summary>
    Value = 1,

    /// <summary><c>c</c>: the CAS token.</summary>
    Cas = 2,

    /// <summary><c>f</c>: the client flags.</summary>
    ClientFlags = 4,

    /// <summary><c>t</c>: the remaining time to live (after a touch in the same request, because flags apply in order and the touch is written first).</summary>
    Ttl = 8,

    /// <summary><c>u</c>: do not bump the item in the LRU (probes that must not keep an item alive).</summary>
    NoLruBump = 16,
}
