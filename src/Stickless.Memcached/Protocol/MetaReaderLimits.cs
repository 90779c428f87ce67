namespace Stickless.Memcached.Protocol;

/// <summary>
/// Bounds on what the reader accepts, so that no length read from the wire ever sizes an allocation or makes
/// the reader wait forever for a line that never ends.
/// </summary>
/// <param name="MaxLineLength">The longest reply line, CRLF included. Meta reply lines are short (status, flags,
/// an echoed key of at most 250 bytes); 4 KiB leaves room and still fails fast on garbage.</param>
/// <param name="MaxValueLength">The largest value block a <c>VA</c> may declare (the server's <c>item_size_max</c>).</param>
/// <param name="MaxStatsLength">The most bytes a <c>stats</c> reply may take before <c>END</c>.</param>
internal readonly record struct MetaReaderLimits(int MaxLineLength, int MaxValueLength, int MaxStatsLength)
{
    /// <summary>4 KiB lines, 1 MiB values (memcached's default <c>-I</c>), 256 KiB of stats.</summary>
    public static MetaReaderLimits Default { get; } = new(4096, 1024 * 1024, 256 * 1024);
}
