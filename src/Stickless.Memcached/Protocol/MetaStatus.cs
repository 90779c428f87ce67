namespace Stickless.Memcached.Protocol;

/// <summary>The kind of a memcached reply, from its first token.</summary>
public enum MetaStatus
{
    /// <summary><c>VA &lt;n&gt;</c>: a hit, with a value block of n bytes.</summary>
    Value,

    /// <summary><c>HD</c>: success without a value (a stored <c>ms</c>, a deleted <c>md</c>, an <c>mg</c> hit without <c>v</c>).</summary>
    Header,

    /// <summary><c>EN</c>: <c>mg</c> miss.</summary>
    Miss,

    /// <summary><c>NS</c>: not stored (add found the item, replace found none).</summary>
    NotStored,

    /// <summary><c>EX</c>: the compare-and-set token did not match.</summary>
    Exists,

    /// <summary><c>NF</c>: a compare-and-set or delete found no item.</summary>
    NotFound,

    /// <summary><c>MN</c>: the answer to <c>mn</c>.</summary>
    NoOp,

    /// <summary><c>ERROR</c>: the server did not know the command.</summary>
    Error,

    /// <summary><c>CLIENT_ERROR &lt;message&gt;</c>: the request was malformed.</summary>
    ClientError,

    /// <summary><c>SERVER_ERROR &lt;message&gt;</c>: the server could not do it (too large, out of memory).</summary>
    ServerError,

    /// <summary><c>VERSION &lt;version&gt;</c>.</summary>
    Version,

    /// <summary><c>STAT &lt;name&gt; &lt;value&gt;</c> lines ended by <c>END</c>.</summary>
    Stats,

    /// <summary><c>OK</c>: the answer to <c>flush_all</c>.</summary>
    Ok,
}
