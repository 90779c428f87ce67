namespace Stickless.Redis.Resp;

/// <summary>
/// Limits that keep a malformed or hostile reply from costing unbounded memory or stack. Exceeding one is a
/// <see cref="RespProtocolException"/>.
/// </summary>
public sealed class RespReaderOptions
{
    /// <summary>The shared default limits.</summary>
    public static RespReaderOptions Default { get; } = new();

    /// <summary>
    /// The largest bulk string accepted, in bytes. Default 64 MiB (Redis itself allows 512 MiB; a session store
    /// never needs that much, and a bogus length must not make us buffer half a gigabyte).
    /// </summary>
    public long MaxBulkLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>The most elements in one array, set, map or push (a map counts its pairs). Default 1,048,576.</summary>
    public long MaxAggregateLength { get; init; } = 1024 * 1024;

    /// <summary>The deepest nesting of aggregates. Default 32.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>The longest line (simple string, error, number, length header), in bytes. Default 64 KiB.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>
    /// The most bytes one incomplete reply may occupy before it is declared hostile. Default 128 MiB
    /// (a maximal bulk string plus room for headers).
    /// </summary>
    public long MaxReplyBytes { get; init; } = 128 * 1024 * 1024;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        if (MaxBulkLength <= 0) { errors.Add($"{nameof(RespReaderOptions)}.{nameof(MaxBulkLength)} must be positive (was {MaxBulkLength})."); }
        if (MaxAggregateLength <= 0) { errors.Add($"{nameof(RespReaderOptions)}.{nameof(MaxAggregateLength)} must be positive (was {MaxAggregateLength})."); }
        if (MaxDepth <= 0) { errors.Add($"{nameof(RespReaderOptions)}.{nameof(MaxDepth)} must be positive (was {MaxDepth})."); }
        if (MaxLineLength < 32) { errors.Add($"{nameof(RespReaderOptions)}.{nameof(MaxLineLength)} must be at least 32 (was {MaxLineLength})."); }
        if (MaxReplyBytes < MaxBulkLength) { errors.Add($"{nameof(RespReaderOptions)}.{nameof(MaxReplyBytes)} ({MaxReplyBytes}) must be at least {nameof(MaxBulkLength)} ({MaxBulkLength})."); }
    }
}
