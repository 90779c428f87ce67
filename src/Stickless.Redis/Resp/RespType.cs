namespace Stickless.Redis.Resp;

/// <summary>The type of a RESP value, named after its RESP2/RESP3 type byte.</summary>
public enum RespType
{
    /// <summary>No value (the default of <see cref="RespValue"/>).</summary>
    None = 0,

    /// <summary><c>+</c> a simple string, e.g. <c>+OK</c>.</summary>
    SimpleString,

    /// <summary><c>-</c> an error reply, e.g. <c>-ERR unknown command</c>.</summary>
    Error,

    /// <summary><c>:</c> a signed 64-bit integer.</summary>
    Integer,

    /// <summary><c>$</c> a binary-safe string; <c>$-1</c> is the RESP2 null.</summary>
    BulkString,

    /// <summary><c>*</c> an array; <c>*-1</c> is the RESP2 null array.</summary>
    Array,

    /// <summary><c>_</c> the RESP3 null.</summary>
    Null,

    /// <summary><c>#</c> a RESP3 boolean (<c>#t</c> or <c>#f</c>).</summary>
    Boolean,

    /// <summary><c>,</c> a RESP3 double (also <c>inf</c>, <c>-inf</c>, <c>nan</c>).</summary>
    Double,

    /// <summary><c>(</c> a RESP3 big number, kept as its decimal text.</summary>
    BigNumber,

    /// <summary><c>!</c> a RESP3 bulk error (an error with a length prefix).</summary>
    BulkError,

    /// <summary><c>=</c> a RESP3 verbatim string; the three-letter format and colon are dropped.</summary>
    VerbatimString,

    /// <summary><c>%</c> a RESP3 map; its items are flattened as key, value, key, value….</summary>
    Map,

    /// <summary><c>~</c> a RESP3 set.</summary>
    Set,

    /// <summary><c>&gt;</c> a RESP3 out-of-band push (pub/sub messages, invalidations).</summary>
    Push,
}
