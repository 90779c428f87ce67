using System.Buffers.Text;
using System.Text;

namespace Stickless.Redis;

/// <summary>Encodes script arguments (UTF-8 strings, decimal integers).</summary>
internal static class RedisArgs
{
    public static readonly byte[] Empty = [];
    public static readonly byte[] Zero = "0"u8.ToArray();
    public static readonly byte[] Set = "s"u8.ToArray();
    public static readonly byte[] Remove = "r"u8.ToArray();

    public static byte[] Utf8(string? value) => string.IsNullOrEmpty(value) ? Empty : Encoding.UTF8.GetBytes(value);

    public static byte[] Int(long value)
    {
        if (value == 0)
        {
            return Zero;
        }

        Span<byte> buffer = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, buffer, out var written);
        return buffer[..written].ToArray();
    }

    /// <summary>Milliseconds of <paramref name="span"/>, clamped to [0, 100 years] so Lua's doubles stay exact.</summary>
    public static long Milliseconds(TimeSpan span)
    {
        const long Max = 100L * 365 * 24 * 3600 * 1000;
        var ms = (long)Math.Ceiling(span.TotalMilliseconds);
        return Math.Clamp(ms, 0, Max);
    }
}
