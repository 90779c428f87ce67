using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>Script arguments the store sends often, and the conversion of durations to whole milliseconds.</summary>
internal static class RedisArgs
{
    public static readonly RedisValue Empty = RedisValue.EmptyString;
    public static readonly RedisValue Set = "s";
    public static readonly RedisValue Remove = "r";
    public static readonly RedisValue Increment = "i";
    public static readonly RedisValue AddToSet = "a";
    public static readonly RedisValue RemoveFromSet = "d";
    public static readonly RedisValue Zero = "0";
    public static readonly RedisValue One = "1";

    /// <summary>The op code <c>commit.lua</c> reads for <paramref name="kind"/>.</summary>
    public static RedisValue Operation(AttributeChangeKind kind) => kind switch
    {
        AttributeChangeKind.Set => Set,
        AttributeChangeKind.Remove => Remove,
        AttributeChangeKind.Increment => Increment,
        AttributeChangeKind.AddToSet => AddToSet,
        AttributeChangeKind.RemoveFromSet => RemoveFromSet,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an attribute change this store knows."),
    };

    /// <summary>A string argument; null and empty both become the empty string (the scripts' "none").</summary>
    public static RedisValue Text(string? value) => string.IsNullOrEmpty(value) ? Empty : (RedisValue)value;

    /// <summary>Milliseconds of <paramref name="span"/>, rounded up and clamped to [0, 100 years] so Lua's doubles stay exact.</summary>
    public static long Milliseconds(TimeSpan span)
    {
        const long Max = 100L * 365 * 24 * 3600 * 1000;
        var ms = (long)Math.Ceiling(span.TotalMilliseconds);
        return Math.Clamp(ms, 0, Max);
    }
}
