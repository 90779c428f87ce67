namespace Stickless.Redis.Cluster;

/// <summary>Which argument of a command is its first key, the one whose slot picks the node in a cluster.</summary>
internal static class ClusterRouting
{
    // Commands that take no key: they go to any master. (PUBLISH's channel is not a key: classic pub/sub
    // messages reach every node of the cluster whichever node they are published on.)
    private static readonly HashSet<string> Keyless = new(StringComparer.OrdinalIgnoreCase)
    {
        "PING", "ECHO", "PUBLISH", "INFO", "TIME", "CLUSTER", "SCRIPT", "WAIT", "DBSIZE", "CLIENT", "CONFIG",
        "COMMAND", "HELLO", "AUTH", "SELECT", "ASKING", "READONLY", "READWRITE", "FUNCTION", "FLUSHALL",
        "FLUSHDB", "LASTSAVE", "ROLE", "MEMORY", "SLOWLOG", "LATENCY", "DEBUG",
    };

    /// <summary>
    /// The first key of <paramref name="command"/>: <c>args[0]</c> for ordinary key commands, <c>args[2]</c> for
    /// <c>EVAL</c>/<c>EVALSHA</c>/<c>FCALL</c> with at least one key; none for keyless commands.
    /// </summary>
    public static bool TryGetFirstKey(string command, ReadOnlyMemory<byte>[] args, out ReadOnlyMemory<byte> key)
    {
        key = default;
        if (Keyless.Contains(command) || args.Length == 0)
        {
            return false;
        }

        if (command.ToUpperInvariant() is "EVAL" or "EVALSHA" or "EVAL_RO" or "EVALSHA_RO" or "FCALL" or "FCALL_RO")
        {
            if (args.Length < 3 || !System.Buffers.Text.Utf8Parser.TryParse(args[1].Span, out int keyCount, out _) || keyCount < 1)
            {
                return false;
            }

            key = args[2];
            return true;
        }

        key = args[0];
        return true;
    }

    /// <summary>The slot of the command's first key, or -1 when it takes none.</summary>
    public static int GetSlot(string command, ReadOnlyMemory<byte>[] args) =>
        TryGetFirstKey(command, args, out var key) ? ClusterSlots.GetSlot(key.Span) : -1;
}
