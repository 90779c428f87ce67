namespace Stickless.Lab.Deployment.Redis;

/// <summary>Counts the keys of a pattern on one Redis server by <c>SCAN</c> (the peers keep no index of their sessions).</summary>
internal static class RedisKeyCount
{
    /// <summary>Keys matching <paramref name="pattern"/> on <paramref name="port"/>; SCAN never returns an expired key. Bounded to a few hundred thousand keys.</summary>
    /// <exception cref="IOException">Redis answered something that is not a SCAN reply.</exception>
    public static async Task<long> ScanAsync(int port, string pattern, CancellationToken cancellationToken)
    {
        long count = 0;
        var cursor = "0";
        for (var round = 0; round < 200; round++)
        {
            if (await RedisLabClient.ExecuteAsync(port, ["SCAN", cursor, "MATCH", pattern, "COUNT", "2000"], cancellationToken).ConfigureAwait(false)
                is not object?[] { Length: 2 } reply || reply[0] is not string next || reply[1] is not object?[] keys)
            {
                throw new IOException("unexpected SCAN reply");
            }

            count += keys.Length;
            cursor = next;
            if (cursor == "0")
            {
                break;
            }
        }

        return count;
    }
}
