using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>
/// Reads the store's script replies from a <see cref="RedisResult"/> the same way under RESP2 and RESP3
/// (a Lua table is an array in both; Lua's false is a null; numbers are integers). Anything else than
/// the expected shape throws <see cref="SessionStoreUnavailableException"/>: a malformed reply never
/// becomes a session.
/// </summary>
internal static class RedisReply
{
    /// <summary>True for an array reply (RESP3 maps and sets count as arrays, as RESP2 sends them).</summary>
    public static bool IsArray(RedisResult reply) => !reply.IsNull && reply.Resp2Type == ResultType.Array;

    /// <summary>The items of an array reply.</summary>
    /// <exception cref="SessionStoreUnavailableException">Not an array.</exception>
    public static RedisResult[] Items(RedisResult reply, string what) =>
        IsArray(reply) ? (RedisResult[])reply! : throw Malformed($"{what}: expected an array, got {Describe(reply)}");

    /// <summary>A string item (simple or bulk string; an integer as its digits); null for a null reply.</summary>
    public static string? String(RedisResult reply, string what)
    {
        if (reply.IsNull)
        {
            return null;
        }

        return reply.Resp2Type switch
        {
            ResultType.BulkString or ResultType.SimpleString or ResultType.Integer => (string?)reply,
            _ => throw Malformed($"{what}: expected a string, got {Describe(reply)}"),
        };
    }

    /// <summary>The bytes of a bulk string; null for a null reply.</summary>
    public static byte[]? Bytes(RedisResult reply, string what)
    {
        if (reply.IsNull)
        {
            return null;
        }

        return reply.Resp2Type is ResultType.BulkString or ResultType.SimpleString
            ? (byte[]?)reply
            : throw Malformed($"{what}: expected a string, got {Describe(reply)}");
    }

    /// <summary>An integer: an integer reply, or a string of decimal digits (hash fields come back as strings).</summary>
    public static long Int64(RedisResult reply, string what)
    {
        if (!reply.IsNull && reply.Resp2Type is ResultType.Integer or ResultType.BulkString or ResultType.SimpleString
            && ((RedisValue)reply).TryParse(out long value))
        {
            return value;
        }

        throw Malformed($"{what}: expected an integer, got {Describe(reply)}");
    }

    public static SessionStoreUnavailableException Malformed(string what) =>
        new($"Redis answered a session script with a malformed reply: {what}.");

    private static string Describe(RedisResult reply) => reply.IsNull ? "null" : reply.Resp3Type.ToString();
}
